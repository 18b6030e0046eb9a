package dev.klinika.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Free slots hold for every generated day: inside a shift, ending by its end, clear of
 * busy time, on the grid.
 */
class FreeSlotsProperties {

	/** Zones with and without DST, and one far east of Moscow. */
	static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Moscow"), ZoneId.of("Asia/Yekaterinburg"),
			ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"));

	record Day(ZoneId zone, List<TimeSpan> shifts, List<TimeSpan> busy, Duration duration, Duration step) {
	}

	@Provide
	Arbitrary<Day> days() {
		// Days around the DST changes of 2026 as well as ordinary ones.
		Arbitrary<LocalDate> dates = Arbitraries.of(LocalDate.of(2026, 3, 8), LocalDate.of(2026, 3, 29),
				LocalDate.of(2026, 10, 25), LocalDate.of(2026, 11, 1), LocalDate.of(2026, 6, 15),
				LocalDate.of(2026, 12, 31));
		Arbitrary<ZoneId> zones = Arbitraries.of(ZONES);
		Arbitrary<List<int[]>> shiftMinutes = Arbitraries.integers()
			.between(0, 23 * 60)
			.flatMap(start -> Arbitraries.integers().between(15, 14 * 60).map(length -> new int[] { start, length }))
			.list()
			.ofMinSize(0)
			.ofMaxSize(3);
		Arbitrary<List<int[]>> busyMinutes = Arbitraries.integers()
			.between(-120, 26 * 60)
			.flatMap(start -> Arbitraries.integers().between(1, 180).map(length -> new int[] { start, length }))
			.list()
			.ofMaxSize(8);
		Arbitrary<Duration> durations = Arbitraries.of(10, 15, 20, 30, 45, 60, 90).map(Duration::ofMinutes);
		Arbitrary<Duration> steps = Arbitraries.of(5, 10, 15, 30).map(Duration::ofMinutes);
		return Combinators.combine(dates, zones, shiftMinutes, busyMinutes, durations, steps)
			.as((date, zone, shifts, busy, duration, step) -> {
				Instant midnight = date.atStartOfDay(zone).toInstant();
				return new Day(zone, spans(midnight, shifts), spans(midnight, busy), duration, step);
			});
	}

	@Property(tries = 500)
	void offersOnlyTimeThatIsReallyFree(@ForAll("days") Day day) {
		List<Instant> slots = FreeSlots.find(day.shifts(), day.busy(), day.duration(), day.step(), day.zone());
		for (Instant start : slots) {
			TimeSpan slot = TimeSpan.of(start, day.duration());
			assertThat(day.shifts()).as("slot %s lies in a shift and ends by its end", slot)
				.anySatisfy(shift -> assertThat(shift.contains(slot)).isTrue());
			assertThat(day.busy()).as("slot %s overlaps no busy time", slot)
				.noneSatisfy(busy -> assertThat(busy.overlaps(slot)).isTrue());
			LocalTime local = start.atZone(day.zone()).toLocalTime();
			assertThat(local.toSecondOfDay() % day.step().toSeconds()).as("slot %s is on the grid", local).isZero();
		}
		assertThat(slots).isSorted().doesNotHaveDuplicates();
	}

	@Property(tries = 500)
	void missesNoFreeTimeOnTheGrid(@ForAll("days") Day day) {
		List<Instant> slots = FreeSlots.find(day.shifts(), day.busy(), day.duration(), day.step(), day.zone());
		// An oracle that tries every minute of the day, the slow and obvious way.
		for (TimeSpan shift : day.shifts()) {
			for (Instant start = shift.start(); !start.plus(day.duration()).isAfter(shift.end()); start = start
				.plusSeconds(60)) {
				TimeSpan candidate = TimeSpan.of(start, day.duration());
				boolean onGrid = start.atZone(day.zone()).toLocalTime().toSecondOfDay() % day.step().toSeconds() == 0;
				boolean free = day.busy().stream().noneMatch(candidate::overlaps);
				if (onGrid && free) {
					assertThat(slots).as("free time %s on the grid", start).contains(start);
				}
			}
		}
	}

	@Test
	void roundsUpToTheGrid() {
		ZoneId moscow = ZoneId.of("Europe/Moscow");
		Instant at0907 = LocalDate.of(2026, 11, 25).atTime(9, 7).atZone(moscow).toInstant();
		assertThat(FreeSlots.firstOnGrid(at0907, Duration.ofMinutes(15), moscow).atZone(moscow).toLocalTime())
			.isEqualTo(LocalTime.of(9, 15));
		Instant at0915 = LocalDate.of(2026, 11, 25).atTime(9, 15).atZone(moscow).toInstant();
		assertThat(FreeSlots.firstOnGrid(at0915, Duration.ofMinutes(15), moscow)).isEqualTo(at0915);
	}

	private static List<TimeSpan> spans(Instant midnight, List<int[]> minutes) {
		List<TimeSpan> spans = new ArrayList<>();
		for (int[] span : minutes) {
			Instant start = midnight.plus(Duration.ofMinutes(span[0]));
			spans.add(TimeSpan.of(start, Duration.ofMinutes(span[1])));
		}
		return spans;
	}

}
