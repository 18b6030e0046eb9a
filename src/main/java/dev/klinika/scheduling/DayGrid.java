package dev.klinika.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * One branch's day as the reception sees it: a column per staff member on shift, rows of
 * a quarter of an hour in the branch's zone, shifts and appointments placed on those
 * rows.
 */
@Component
class DayGrid {

	/** Minutes per row: visits of any length in 5 minutes sit where they are. */
	public static final int ROW = 5;

	/**
	 * Minutes per free cell one clicks to book: the booking grid, {@link Booking#GRID}.
	 */
	public static final int CELL = (int) Booking.GRID.toMinutes();

	private final JdbcClient jdbc;

	private final WorkingTime workingTime;

	private final java.time.Clock clock;

	private final dev.klinika.patients.PatientSearch patients;

	private final dev.klinika.catalog.CatalogQueries catalog;

	private final org.springframework.beans.factory.ObjectProvider<Prepayments> prepayments;

	DayGrid(JdbcClient jdbc, WorkingTime workingTime, java.time.Clock clock,
			dev.klinika.patients.PatientSearch patients, dev.klinika.catalog.CatalogQueries catalog,
			org.springframework.beans.factory.ObjectProvider<Prepayments> prepayments) {
		this.prepayments = prepayments;
		this.patients = patients;
		this.catalog = catalog;
		this.jdbc = jdbc;
		this.workingTime = workingTime;
		this.clock = clock;
	}

	/**
	 * One staff member's week in a branch: a column per day from {@code monday}, the same
	 * rows and blocks as the day grid.
	 */
	@Transactional(readOnly = true)
	public Grid weekOf(long branchId, ZoneId zone, long staffId, LocalDate monday) {
		List<Column> columns = new ArrayList<>();
		int first = 24 * 60;
		int last = 0;
		// The week's busy time in one query: each day's free cells take what concerns
		// them.
		List<TimeSpan> busy = busy(List.of(staffId), monday, 7, zone).getOrDefault(staffId, List.of());
		for (int i = 0; i < 7; i++) {
			LocalDate day = monday.plusDays(i);
			Map<Long, List<Block>> blocks = appointments(branchId, day.atStartOfDay(zone).toInstant(),
					day.plusDays(1).atStartOfDay(zone).toInstant(), zone, day);
			Column column = column(staffId, day.toString(), "", day, zone,
					this.workingTime.shifts(staffId, branchId, day, day, zone), busy,
					blocks.getOrDefault(staffId, List.of()));
			for (Span shift : column.shifts()) {
				first = Math.min(first, shift.from());
				last = Math.max(last, shift.to());
			}
			for (Block block : column.blocks()) {
				first = Math.min(first, block.from());
				last = Math.max(last, block.to());
			}
			columns.add(column);
		}
		if (first >= last) {
			return new Grid(monday, zone, 9 * 60, 18 * 60, columns);
		}
		return new Grid(monday, zone, (first / 60) * 60, Math.min(24 * 60, ((last + 59) / 60) * 60), columns);
	}

	/**
	 * A staff member's column: the free cells are the starts {@link FreeSlots} finds for
	 * one cell's length, the same engine and busy time (every branch's visits, absences,
	 * holds) that booking checks, so a cell one clicks is a time booking takes.
	 */
	private Column column(long staffId, String name, String specialties, LocalDate day, ZoneId zone,
			List<TimeSpan> shifts, List<TimeSpan> busy, List<Block> own) {
		Instant now = this.clock.instant();
		List<Integer> free = FreeSlots.find(shifts, busy, Duration.ofMinutes(CELL), Booking.GRID, zone)
			.stream()
			.filter(start -> start.isAfter(now) && start.atZone(zone).toLocalDate().equals(day))
			.map(start -> minuteOf(start, day, zone))
			.distinct()
			.toList();
		List<Span> spans = shifts.stream()
			.map(shift -> new Span(minuteOf(shift.start(), day, zone), minuteOf(shift.end(), day, zone)))
			.toList();
		return new Column(staffId, name, specialties, day, spans, own, free);
	}

	/**
	 * The staff's busy time over {@code days} days from {@code first}, and the day after,
	 * where a night shift begun on the last one ends.
	 */
	private Map<Long, List<TimeSpan>> busy(List<Long> staffIds, LocalDate first, int days, ZoneId zone) {
		return this.workingTime.busy(staffIds, new TimeSpan(first.atStartOfDay(zone).toInstant(),
				first.plusDays(days + 1).atStartOfDay(zone).toInstant()));
	}

	@Transactional(readOnly = true)
	public Grid of(long branchId, ZoneId zone, LocalDate day, @Nullable Long specialtyId) {
		Instant dayStart = day.atStartOfDay(zone).toInstant();
		Instant dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant();
		record Person(long id, String name, String specialties) {
		}
		List<Person> people = this.jdbc
			.sql("""
					select s.id, s.initials as name,
					       coalesce((select string_agg(sp.name, ', ' order by sp.name) from organization_staff_specialty_v ss
					                  join organization_specialty_v sp on sp.id = ss.specialty_id where ss.staff_id = s.id), '') as specialties
					  from organization_staff_v s join organization_staff_branch_v sb on sb.staff_id = s.id
					 where sb.branch_id = :branch and s.dismissed_on is null
					   and (:specialty::bigint is null or exists (select 1 from organization_staff_specialty_v ss
					        where ss.staff_id = s.id and ss.specialty_id = :specialty))
					 order by s.surname, s.name
					""")
			.param("branch", branchId)
			.param("specialty", specialtyId)
			.query((rs, n) -> new Person(rs.getLong("id"), rs.getString("name"), rs.getString("specialties")))
			.list();
		Map<Long, List<Block>> blocks = appointments(branchId, dayStart, dayEnd, zone, day);
		List<Long> staffIds = people.stream().map(Person::id).toList();
		Map<Long, List<TimeSpan>> shifts = staffIds.isEmpty() ? Map.of()
				: this.workingTime.shifts(staffIds, branchId, day, day, zone);
		Map<Long, List<TimeSpan>> busy = busy(staffIds, day, 1, zone);
		List<Column> columns = new ArrayList<>();
		int first = 24 * 60;
		int last = 0;
		for (Person person : people) {
			List<Block> own = blocks.getOrDefault(person.id(), List.of());
			Column column = column(person.id(), person.name(), person.specialties(), day, zone,
					shifts.getOrDefault(person.id(), List.of()), busy.getOrDefault(person.id(), List.of()), own);
			if (column.shifts().isEmpty() && own.isEmpty()) {
				continue;
			}
			for (Span shift : column.shifts()) {
				first = Math.min(first, shift.from());
				last = Math.max(last, shift.to());
			}
			for (Block block : own) {
				first = Math.min(first, block.from());
				last = Math.max(last, block.to());
			}
			columns.add(column);
		}
		if (columns.isEmpty()) {
			return new Grid(day, zone, 9 * 60, 18 * 60, List.of());
		}
		return new Grid(day, zone, (first / 60) * 60, Math.min(24 * 60, ((last + 59) / 60) * 60), columns);
	}

	private Map<Long, List<Block>> appointments(long branchId, Instant from, Instant to, ZoneId zone, LocalDate day) {
		record Row(long id, long staffId, long patientId, long serviceId, Instant start, Instant end,
				AppointmentStatus status, boolean course, @Nullable Long group, int capacity) {
		}
		List<Row> rows = this.jdbc
			.sql("""
					select a.id, a.staff_id, a.patient_id, a.service_id, lower(a.during) as s, upper(a.during) as e, a.status,
					       a.series_id is not null as course, a.group_session_id, coalesce(g.capacity, 0) as capacity
					  from appointment a left join group_session g on g.id = a.group_session_id
					 where a.branch_id = :branch and a.status <> 'CANCELLED' and a.during && tstzrange(:from, :to, '[)')
					 order by lower(a.during)
					""")
			.param("branch", branchId)
			.param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
			.query((rs, n) -> new Row(rs.getLong("id"), rs.getLong("staff_id"), rs.getLong("patient_id"),
					rs.getLong("service_id"), rs.getObject("s", OffsetDateTime.class).toInstant(),
					rs.getObject("e", OffsetDateTime.class).toInstant(),
					AppointmentStatus.valueOf(rs.getString("status")), rs.getBoolean("course"),
					(Long) rs.getObject("group_session_id"), rs.getInt("capacity")))
			.list();
		// Names from their owners, one query each for the whole day.
		var patients = this.patients.briefs(rows.stream().map(Row::patientId).collect(Collectors.toSet()));
		var services = this.catalog.names(rows.stream().map(Row::serviceId).collect(Collectors.toSet()));
		Prepayments money = this.prepayments.getIfAvailable();
		java.util.Set<Long> prepaid = money == null ? java.util.Set.of()
				: money.prepaid(rows.stream().map(Row::id).toList());
		return rows.stream()
			.map(row -> new Block(row.id(), row.staffId(), row.patientId(), minuteOf(row.start(), day, zone),
					minuteOf(row.end(), day, zone), row.start().atZone(zone).toLocalTime(),
					patients.containsKey(row.patientId()) ? patients.get(row.patientId()).shortName() : "—",
					services.getOrDefault(row.serviceId(), "—"), row.status(), row.course(), row.group(), 1,
					row.capacity(), prepaid.contains(row.id())))
			.collect(Collectors.toMap((Block block) -> block.group() != null ? -block.group() : block.id(),
					block -> block, Block::plusSeat, java.util.LinkedHashMap::new))
			.values()
			.stream()
			.collect(Collectors.groupingBy(Block::staffId));
	}

	/**
	 * The minute of the day's wall clock an instant shows, clamped to the day: on a
	 * daylight-saving day 10:00 is on the 10:00 line, though only 9 hours have passed
	 * since midnight (in the repeated hour of autumn both 02:30s are on one line).
	 */
	static int minuteOf(Instant instant, LocalDate day, ZoneId zone) {
		java.time.LocalDateTime local = instant.atZone(zone).toLocalDateTime();
		if (local.toLocalDate().isBefore(day)) {
			return 0;
		}
		if (local.toLocalDate().isAfter(day)) {
			return 24 * 60;
		}
		return local.getHour() * 60 + local.getMinute();
	}

	/**
	 * The day: its rows from {@code startMinute} to {@code endMinute} and a column per
	 * person.
	 */
	public record Grid(LocalDate day, ZoneId zone, int startMinute, int endMinute, List<Column> columns) {

		/** Minutes of a free cell: the booking grid. */
		public int cell() {
			return CELL;
		}

		public List<LocalTime> rows() {
			List<LocalTime> rows = new ArrayList<>();
			for (int minute = this.startMinute; minute < this.endMinute; minute += ROW) {
				rows.add(LocalTime.MIDNIGHT.plusMinutes(minute));
			}
			return rows;
		}

		/** The hours down the side, each with its row. */
		public List<LocalTime> hours() {
			List<LocalTime> hours = new ArrayList<>();
			for (int minute = this.startMinute; minute < this.endMinute; minute += 60) {
				hours.add(LocalTime.MIDNIGHT.plusMinutes(minute));
			}
			return hours;
		}

		public int rowOf(LocalTime time) {
			return row(time.getHour() * 60 + time.getMinute());
		}

		/**
		 * The instant a wall-clock minute of a column's day stands for, for the booking
		 * link (a minute that does not exist that day is the one after the change).
		 */
		public Instant at(Column column, int minute) {
			return column.day().atStartOfDay().plusMinutes(minute).atZone(this.zone).toInstant();
		}

		/** The grid row (1-based) where a minute of the day falls. */
		public int row(int minute) {
			return (minute - this.startMinute) / ROW + 1;
		}

		public int span(int from, int to) {
			return Math.max(1, (to - from + ROW - 1) / ROW);
		}

	}

	/** A staff member's column. */
	public record Column(long staffId, String name, String specialties, LocalDate day, List<Span> shifts,
			List<Block> blocks, List<Integer> free) {
	}

	/** Minutes of the day a shift covers. */
	public record Span(int from, int to) {
	}

	/**
	 * An appointment on the grid; a group session is one block with its seats taken out
	 * of its capacity.
	 */
	public record Block(long id, long staffId, long patientId, int from, int to, LocalTime start, String patient,
			String service, AppointmentStatus status, boolean course, @Nullable Long group, int seats, int capacity,
			boolean prepaid) {

		Block plusSeat(Block other) {
			return new Block(this.id, this.staffId, this.patientId, this.from, this.to, this.start, this.patient,
					this.service, this.status, this.course, this.group, this.seats + other.seats, this.capacity,
					this.prepaid || other.prepaid);
		}

	}

}
