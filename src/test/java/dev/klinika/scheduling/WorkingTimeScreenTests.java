package dev.klinika.scheduling;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A manager sets a staff member's working time on the screen: a pattern with a break, a
 * date with other hours, a day off, an absence, an own duration; free slots follow each.
 */
@KlinikaTest
class WorkingTimeScreenTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.Availability availability;

	@Autowired
	dev.klinika.Logins logins;

	OwnClinic clinic;

	@Test
	void theWorkingTimeSetOnTheScreenIsWhatFreeSlotsOffer() throws Exception {
		OwnClinic clinic = OwnClinic.create(this.jdbc, this.patterns);
		this.clinic = clinic;
		LocalDate monday = LocalDate.ofInstant(clinic.at(6, DayOfWeek.MONDAY, 9, 0), clinic.zone());
		String staff = "/scheduling/staff/" + clinic.first();
		this.mvc.perform(get(staff).param("branch", String.valueOf(clinic.branch())).with(manager()))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("09:00–18:00")));

		// Mondays 10-13 and 14-16 from that week on; other days off.
		this.mvc
			.perform(post(staff + "/pattern").with(manager())
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("from", monday.toString())
				.param("cycle", "7")
				.param("from1_0", "10:00")
				.param("to1_0", "13:00")
				.param("from2_0", "14:00")
				.param("to2_0", "16:00"))
			.andExpect(flash().attribute("flashKey", "flash.pattern.saved"));
		assertThat(starts(monday)).startsWith(LocalTime.of(10, 0))
			.contains(LocalTime.of(12, 30), LocalTime.of(14, 0), LocalTime.of(15, 30))
			.doesNotContain(LocalTime.of(13, 0), LocalTime.of(9, 45), LocalTime.of(16, 0));
		assertThat(starts(monday.plusDays(1))).isEmpty();

		// A Tuesday with its own hours, then the Monday after made a day off.
		this.mvc
			.perform(post(staff + "/exceptions").with(manager())
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("day", monday.plusDays(1).toString())
				.param("from1", "08:00")
				.param("to1", "09:00"))
			.andExpect(flash().attribute("flashKey", "flash.saved"));
		assertThat(starts(monday.plusDays(1))).containsExactly(LocalTime.of(8, 0), LocalTime.of(8, 15),
				LocalTime.of(8, 30));
		this.mvc
			.perform(post(staff + "/exceptions").with(manager())
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("day", monday.plusWeeks(1).toString()))
			.andExpect(flash().attribute("flashKey", "flash.saved"));
		assertThat(starts(monday.plusWeeks(1))).isEmpty();
		assertThat(starts(monday.plusWeeks(2))).isNotEmpty();

		// A sick day over a booked visit is saved, with a warning about the visit.
		Instant visit = monday.plusWeeks(2).atTime(10, 0).atZone(clinic.zone()).toInstant();
		this.booking.book(new Booking.Request(clinic.patients().get(0), clinic.plainService(), clinic.first(),
				clinic.branch(), visit, null));
		this.mvc
			.perform(post(staff + "/absences").with(manager())
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("kind", "SICK_LEAVE")
				.param("from", monday.plusWeeks(2) + "T00:00")
				.param("to", monday.plusWeeks(2) + "T23:59"))
			.andExpect(flash().attribute("flashErrorKey", "worktime.visitsStranded"));
		assertThat(starts(monday.plusWeeks(2))).isEmpty();

		// An own duration of 60 minutes: the last start before the break moves to 12:00.
		this.mvc
			.perform(post(staff + "/durations").with(manager())
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("service", String.valueOf(clinic.plainService()))
				.param("minutes", "60"))
			.andExpect(flash().attribute("flashKey", "flash.saved"));
		assertThat(starts(monday)).contains(LocalTime.of(12, 0)).doesNotContain(LocalTime.of(12, 15));

		// Broken input is refused with a reason and changes nothing.
		this.mvc
			.perform(post(staff + "/pattern").with(manager())
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("from", monday.toString())
				.param("cycle", "7")
				.param("from1_0", "12:00")
				.param("to1_0", "11:00"))
			.andExpect(flash().attribute("flashErrorKey", "worktime.error.pattern"));
		assertThat(starts(monday)).startsWith(LocalTime.of(10, 0));
		// An admin may look but not change.
		this.mvc
			.perform(post(staff + "/durations").with(this.logins.as("admin"))
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("service", String.valueOf(clinic.plainService()))
				.param("minutes", "15"))
			.andExpect(status().isForbidden());
	}

	private java.util.List<LocalTime> starts(LocalDate day) {
		return this.availability
			.freeSlots(this.clinic.first(), this.clinic.branch(), this.clinic.plainService(), day, day)
			.stream()
			.map(start -> start.atZone(this.clinic.zone()).toLocalTime())
			.toList();
	}

	private org.springframework.test.web.servlet.request.RequestPostProcessor manager() {
		return this.logins.as("manager");
	}

}
