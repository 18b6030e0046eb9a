package dev.klinika.care;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * The course booking a pathway's line opens, filled in: the patient, the service (or
 * whoever of the specialty the desk picks), the sessions still to book, the frequency as
 * weekdays, from tomorrow at ten in the branch's time, and back to the pathway once
 * booked.
 */
final class CourseLink {

	private CourseLink() {
	}

	static String of(Pathways.Pathway pathway, Pathways.Line line, ZoneId zone, Instant now) {
		LocalDate tomorrow = now.atZone(zone).toLocalDate().plusDays(1);
		UriComponentsBuilder link = UriComponentsBuilder.fromPath("/scheduling/course")
			.queryParam("branch", pathway.branchId())
			.queryParam("patient", pathway.patientId())
			.queryParam("sessions", line.toBook())
			.queryParam("start", tomorrow.atTime(LocalTime.of(10, 0)).atZone(zone).toInstant())
			.queryParam("back", "/care/pathways/" + pathway.id());
		if (line.serviceId() != null) {
			link.queryParam("service", line.serviceId());
		}
		for (DayOfWeek day : weekdays(line.perWeek(), tomorrow.getDayOfWeek())) {
			link.queryParam("days", day);
		}
		return link.build().encode().toUriString();
	}

	/**
	 * A frequency as weekdays, spread over the week: once a week on the first day's
	 * weekday, twice on Monday and Thursday, three times on Monday, Wednesday and Friday,
	 * and so on up to every day.
	 */
	static Set<DayOfWeek> weekdays(int perWeek, DayOfWeek first) {
		return switch (perWeek) {
			case 1 -> EnumSet.of(first);
			case 2 -> EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY);
			case 3 -> EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
			case 4 -> EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
			case 5 -> EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
			case 6 -> EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY);
			default -> EnumSet.allOf(DayOfWeek.class);
		};
	}

}
