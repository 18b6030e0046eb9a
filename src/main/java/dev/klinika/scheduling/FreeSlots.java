package dev.klinika.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Free start times: on the clinic's grid (every {@code step} from midnight in the
 * branch's zone), inside a shift with the whole service before its end, and clear of
 * every busy span (appointments, absences, breaks). Pure: the same answer for the same
 * input, which the properties in the tests check on generated cases.
 */
final class FreeSlots {

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
				.isAfter(shift.end()); start = firstOnGrid(start.plusSeconds(60), step, zone)) {
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
		long stepSeconds = Math.max(60, step.toSeconds());
		Instant at = instant.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
		if (at.isBefore(instant)) {
			at = at.plusSeconds(60);
		}
		long seconds = at.atZone(zone).toLocalTime().toSecondOfDay();
		Instant aligned = at.plusSeconds((seconds + stepSeconds - 1) / stepSeconds * stepSeconds - seconds);
		java.time.zone.ZoneOffsetTransition change = zone.getRules().nextTransition(at);
		if (change == null || aligned.isBefore(change.getInstant())) {
			return aligned;
		}
		// The clocks change before that: walk the minutes, in the order they pass (the
		// repeated hour of autumn has its own grid times; the skipped one of spring
		// none).
		for (Instant minute = at; minute.isBefore(at.plus(Duration.ofDays(2))); minute = minute.plusSeconds(60)) {
			if (minute.atZone(zone).toLocalTime().toSecondOfDay() % stepSeconds == 0) {
				return minute;
			}
		}
		return aligned;
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
