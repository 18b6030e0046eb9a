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
public class DayGrid {

	/** Minutes per row. */
	public static final int ROW = 15;

	private final JdbcClient jdbc;

	private final WorkingTime workingTime;

	DayGrid(JdbcClient jdbc, WorkingTime workingTime) {
		this.jdbc = jdbc;
		this.workingTime = workingTime;
	}

	@Transactional(readOnly = true)
	public Grid of(long branchId, ZoneId zone, LocalDate day, @Nullable Long specialtyId) {
		Instant dayStart = day.atStartOfDay(zone).toInstant();
		Instant dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant();
		record Person(long id, String name, String specialties) {
		}
		List<Person> people = this.jdbc
			.sql("""
					select s.id, s.surname || ' ' || left(s.name, 1) || '.' || coalesce(' ' || left(s.patronymic, 1) || '.', '') as name,
					       coalesce((select string_agg(sp.name, ', ' order by sp.name) from staff_specialty ss
					                  join specialty sp on sp.id = ss.specialty_id where ss.staff_id = s.id), '') as specialties
					  from staff s join staff_branch sb on sb.staff_id = s.id
					 where sb.branch_id = :branch and s.dismissed_on is null
					   and (:specialty::bigint is null or exists (select 1 from staff_specialty ss
					        where ss.staff_id = s.id and ss.specialty_id = :specialty))
					 order by s.surname, s.name
					""")
			.param("branch", branchId)
			.param("specialty", specialtyId)
			.query((rs, n) -> new Person(rs.getLong("id"), rs.getString("name"), rs.getString("specialties")))
			.list();
		Map<Long, List<Block>> blocks = appointments(branchId, dayStart, dayEnd, zone, day);
		List<Column> columns = new ArrayList<>();
		int first = 24 * 60;
		int last = 0;
		for (Person person : people) {
			List<Span> shifts = this.workingTime.shifts(person.id(), branchId, day, day, zone)
				.stream()
				.map(shift -> new Span(minuteOf(shift.start(), day, zone), minuteOf(shift.end(), day, zone)))
				.toList();
			List<Block> own = blocks.getOrDefault(person.id(), List.of());
			if (shifts.isEmpty() && own.isEmpty()) {
				continue;
			}
			for (Span shift : shifts) {
				first = Math.min(first, shift.from());
				last = Math.max(last, shift.to());
			}
			for (Block block : own) {
				first = Math.min(first, block.from());
				last = Math.max(last, block.to());
			}
			columns.add(new Column(person.id(), person.name(), person.specialties(), shifts, own));
		}
		if (columns.isEmpty()) {
			return new Grid(day, zone, 9 * 60, 18 * 60, List.of());
		}
		return new Grid(day, zone, (first / 60) * 60, Math.min(24 * 60, ((last + 59) / 60) * 60), columns);
	}

	private Map<Long, List<Block>> appointments(long branchId, Instant from, Instant to, ZoneId zone, LocalDate day) {
		return this.jdbc.sql("""
				select a.id, a.staff_id, a.patient_id, lower(a.during) as s, upper(a.during) as e, a.status,
				       p.surname || ' ' || p.name as patient, sv.name as service
				  from appointment a join patient p on p.id = a.patient_id join service sv on sv.id = a.service_id
				 where a.branch_id = :branch and a.status <> 'CANCELLED' and a.during && tstzrange(:from, :to, '[)')
				 order by lower(a.during)
				""")
			.param("branch", branchId)
			.param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
			.query((rs, n) -> new Block(rs.getLong("id"), rs.getLong("staff_id"), rs.getLong("patient_id"),
					minuteOf(rs.getObject("s", OffsetDateTime.class).toInstant(), day, zone),
					minuteOf(rs.getObject("e", OffsetDateTime.class).toInstant(), day, zone),
					rs.getObject("s", OffsetDateTime.class).toInstant().atZone(zone).toLocalTime(),
					rs.getString("patient"), rs.getString("service"),
					AppointmentStatus.valueOf(rs.getString("status"))))
			.list()
			.stream()
			.collect(Collectors.groupingBy(Block::staffId));
	}

	/** Minutes from the day's local midnight, clamped to the day. */
	static int minuteOf(Instant instant, LocalDate day, ZoneId zone) {
		long minutes = Duration.between(day.atStartOfDay(zone).toInstant(), instant).toMinutes();
		return (int) Math.max(0, Math.min(24 * 60, minutes));
	}

	/**
	 * The day: its rows from {@code startMinute} to {@code endMinute} and a column per
	 * person.
	 */
	public record Grid(LocalDate day, ZoneId zone, int startMinute, int endMinute, List<Column> columns) {

		public List<LocalTime> rows() {
			List<LocalTime> rows = new ArrayList<>();
			for (int minute = this.startMinute; minute < this.endMinute; minute += ROW) {
				rows.add(LocalTime.MIDNIGHT.plusMinutes(minute));
			}
			return rows;
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
	public record Column(long staffId, String name, String specialties, List<Span> shifts, List<Block> blocks) {
	}

	/** Minutes of the day a shift covers. */
	public record Span(int from, int to) {
	}

	/** An appointment on the grid. */
	public record Block(long id, long staffId, long patientId, int from, int to, LocalTime start, String patient,
			String service, AppointmentStatus status) {
	}

}
