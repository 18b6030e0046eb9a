package dev.klinika.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Free start times: on the clinic's grid (every {@code step} from midnight in the
 * branch's zone), inside a shift with the whole service before its end, and clear of
 * every busy span (appointments, absences, breaks). Pure: the same answer for the same
 * input, which the properties in the tests check on generated cases.
 */
public final class FreeSlots {

	private FreeSlots() {
	}

	public static List<Instant> find(List<TimeSpan> shifts, List<TimeSpan> busy, Duration duration, Duration step,
			ZoneId zone) {
		if (duration.isNegative() || duration.isZero() || step.isNegative() || step.isZero()) {
			throw new IllegalArgumentException("Duration and step are positive");
		}
		List<TimeSpan> sortedBusy = busy.stream().sorted(Comparator.comparing(TimeSpan::start)).toList();
		List<Instant> free = new ArrayList<>();
		for (TimeSpan shift : shifts.stream().sorted(Comparator.comparing(TimeSpan::start)).toList()) {
			for (Instant start = firstOnGrid(shift.start(), step, zone); !start.plus(duration)
				.isAfter(shift.end()); start = start.plus(step)) {
				TimeSpan candidate = TimeSpan.of(start, duration);
				if (sortedBusy.stream()
					.takeWhile(span -> span.start().isBefore(candidate.end()))
					.noneMatch(candidate::overlaps)) {
					free.add(start);
				}
			}
		}
		return free.stream().distinct().sorted().toList();
	}

	/**
	 * The first time on the grid at or after {@code instant}: 09:07 on a 15-minute grid
	 * is 09:15.
	 */
	static Instant firstOnGrid(Instant instant, Duration step, ZoneId zone) {
		ZonedDateTime local = instant.atZone(zone);
		long seconds = local.toLocalTime().toSecondOfDay() + (local.getNano() > 0 ? 1 : 0);
		long stepSeconds = Math.max(60, step.toSeconds());
		long aligned = ((seconds + stepSeconds - 1) / stepSeconds) * stepSeconds;
		ZonedDateTime onGrid = aligned >= 24 * 3600 ? local.toLocalDate().plusDays(1).atStartOfDay(zone)
				: local.with(LocalTime.ofSecondOfDay(aligned)).withNano(0);
		Instant result = onGrid.toInstant();
		// In a DST gap the local time moves forward; never answer earlier than asked.
		return result.isBefore(instant) ? firstOnGrid(instant.plus(step), step, zone) : result;
	}

	/**
	 * The {@code count} starts closest to the wanted one, before or after it, in time
	 * order: the alternatives offered when a time is taken.
	 */
	public static List<Instant> nearest(java.util.Collection<Instant> starts, Instant wanted, int count) {
		return starts.stream()
			.distinct()
			.sorted(java.util.Comparator.comparing(start -> Duration.between(wanted, start).abs()))
			.limit(count)
			.sorted()
			.toList();
	}

}
