package dev.klinika.scheduling;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The day and week grids of a branch whose clocks change (Europe/Berlin, 2027): drawn in
 * wall-clock time, so a 10:00 visit is on the 10:00 line on both change days, and a shift
 * of 09:00–17:00 is labelled so; a local time the clocks skip is refused, one they show
 * twice is the first.
 */
@KlinikaTest
class DaylightSavingGridTests {

	static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	/** Clocks go forward at 02:00 (a Sunday). */
	static final LocalDate SPRING = LocalDate.of(2027, 3, 28);

	/** Clocks go back at 03:00 (a Sunday). */
	static final LocalDate AUTUMN = LocalDate.of(2027, 10, 31);

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Booking booking;

	@Autowired
	DayGrid grid;

	@Autowired
	Availability availability;

	@Test
	void bothChangeDaysAreDrawnInWallClockTime() {
		OwnClinic clinic = berlin();
		for (LocalDate day : List.of(SPRING, AUTUMN)) {
			Appointment visit = this.booking.book(new Booking.Request(clinic.patients().get(0), clinic.plainService(),
					clinic.first(), clinic.branch(), day.atTime(10, 0).atZone(BERLIN).toInstant(), null));
			DayGrid.Grid grid = this.grid.of(clinic.branch(), BERLIN, day, null);
			assertThat(grid.hours()).first().isEqualTo(LocalTime.of(9, 0));
			assertThat(grid.hours()).last().isEqualTo(LocalTime.of(16, 0));
			DayGrid.Column column = grid.columns()
				.stream()
				.filter(c -> c.staffId() == clinic.first())
				.findFirst()
				.orElseThrow();
			assertThat(column.shifts()).extracting(DayGrid.Span::from, DayGrid.Span::to)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(9 * 60, 17 * 60));
			DayGrid.Block block = column.blocks().stream().filter(b -> b.id() == visit.id()).findFirst().orElseThrow();
			assertThat(block.from()).isEqualTo(10 * 60);
			assertThat(block.to()).isEqualTo(10 * 60 + 30);
			assertThat(grid.row(block.from())).isEqualTo(grid.rowOf(LocalTime.of(10, 0)));
			// The booking link of the 10:00 line is 10:00 on the wall clock.
			assertThat(grid.at(column, 10 * 60).atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.of(10, 0));
		}
		// The week of the spring change: Monday's and Sunday's 10:00 on one line.
		Appointment monday = this.booking.book(new Booking.Request(clinic.patients().get(1), clinic.plainService(),
				clinic.first(), clinic.branch(), SPRING.minusDays(6).atTime(10, 0).atZone(BERLIN).toInstant(), null));
		DayGrid.Grid week = this.grid.weekOf(clinic.branch(), BERLIN, clinic.first(),
				SPRING.with(java.time.temporal.TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
		List<Integer> tens = week.columns()
			.stream()
			.flatMap(c -> c.blocks().stream())
			.filter(b -> b.start().equals(LocalTime.of(10, 0)))
			.map(DayGrid.Block::from)
			.toList();
		assertThat(tens).hasSize(2).containsOnly(10 * 60);
		assertThat(week.columns().get(0).blocks()).extracting(DayGrid.Block::id).contains(monday.id());
	}

	/**
	 * The grid's free cells are the times booking takes: the same engine on both change
	 * days, and a time taken elsewhere (an absence, a visit in another branch) shows no
	 * cell.
	 */
	@Test
	void freeCellsAreTheFreeSlotsBookingOffersOnChangeDays() {
		OwnClinic clinic = berlin();
		for (LocalDate day : List.of(SPRING, AUTUMN)) {
			this.booking.book(new Booking.Request(clinic.patients().get(2), clinic.plainService(), clinic.first(),
					clinic.branch(), day.atTime(11, 0).atZone(BERLIN).toInstant(), null));
			this.patterns.absence(clinic.first(), "OTHER", new TimeSpan(day.atTime(14, 0).atZone(BERLIN).toInstant(),
					day.atTime(15, 0).atZone(BERLIN).toInstant()), "");
			DayGrid.Grid grid = this.grid.of(clinic.branch(), BERLIN, day, null);
			DayGrid.Column column = grid.columns()
				.stream()
				.filter(c -> c.staffId() == clinic.first())
				.findFirst()
				.orElseThrow();
			List<Instant> offered = this.availability
				.freeSlotsInBranch(clinic.branch(), null, java.time.Duration.ofMinutes(grid.cell()), day, day)
				.get(clinic.first());
			assertThat(column.free().stream().map(minute -> grid.at(column, minute)).toList())
				.containsExactlyElementsOf(offered);
			List<LocalTime> times = column.free()
				.stream()
				.map(minute -> LocalTime.MIDNIGHT.plusMinutes(minute))
				.toList();
			assertThat(times).first().isEqualTo(LocalTime.of(9, 0));
			assertThat(times).doesNotContain(LocalTime.of(11, 0), LocalTime.of(14, 0), LocalTime.of(14, 45))
				.contains(LocalTime.of(10, 45), LocalTime.of(11, 30), LocalTime.of(15, 0));
			assertThat(times).last().isEqualTo(LocalTime.of(17, 0).minusMinutes(grid.cell()));
		}
	}

	@Test
	void aSkippedTimeIsRefusedAndARepeatedOneIsTheFirst() {
		assertThatExceptionOfType(BookingRefused.class)
			.isThrownBy(() -> BranchTime.local(SPRING, LocalTime.of(2, 30), BERLIN))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("NO_SUCH_TIME"));
		Instant twice = BranchTime.local(AUTUMN, LocalTime.of(2, 30), BERLIN);
		assertThat(twice)
			.isEqualTo(ZonedDateTime.of(AUTUMN, LocalTime.of(2, 30), BERLIN).withEarlierOffsetAtOverlap().toInstant());
		assertThat(twice.atZone(BERLIN).getOffset().getTotalSeconds()).isEqualTo(2 * 3600);
	}

	/** A clinic in Berlin whose first specialist works 09:00–17:00 every day of 2027. */
	private OwnClinic berlin() {
		OwnClinic clinic = OwnClinic.create(this.jdbc, this.patterns);
		this.jdbc.sql("update branch set time_zone = 'Europe/Berlin' where id = :id")
			.param("id", clinic.branch())
			.update();
		this.patterns.set(clinic.first(), clinic.branch(), LocalDate.of(2027, 1, 1), 1,
				List.of(new WorkPatterns.Stretch(0, LocalTime.of(9, 0), LocalTime.of(17, 0))));
		return clinic;
	}

}
