package dev.klinika.scheduling;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * When a staff member works in a branch on given days (from their working patterns, in
 * the branch's zone, right across DST changes and midnight), and when they are away.
 */
@Component
public class WorkingTime {

	private final JdbcClient jdbc;

	private final java.time.Clock clock;

	WorkingTime(JdbcClient jdbc, java.time.Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Shifts of the staff member in the branch on the days from {@code from} to
	 * {@code to}, inclusive.
	 */
	@Transactional(readOnly = true)
	public List<TimeSpan> shifts(long staffId, long branchId, LocalDate from, LocalDate to, ZoneId zone) {
		return shifts(List.of(staffId), branchId, from, to, zone).getOrDefault(staffId, List.of());
	}

	/**
	 * Shifts of several staff members in a branch, read in one query: the branch-wide
	 * free slots need it.
	 */
	@Transactional(readOnly = true)
	public Map<Long, List<TimeSpan>> shifts(List<Long> staffIds, long branchId, LocalDate from, LocalDate to,
			ZoneId zone) {
		if (staffIds.isEmpty()) {
			return Map.of();
		}
		List<Day> all = this.jdbc.sql("""
				select p.staff_id, p.valid_from, p.cycle_days, d.day_index, d.starts, d.ends
				  from work_pattern p join work_pattern_day d on d.work_pattern_id = p.id
				 where p.staff_id in (:staff) and p.branch_id = :branch and p.valid_from <= :to
				""")
			.param("staff", staffIds)
			.param("branch", branchId)
			.param("to", to)
			.query((rs, n) -> new Day(rs.getLong("staff_id"), rs.getObject("valid_from", LocalDate.class),
					rs.getInt("cycle_days"), rs.getInt("day_index"), rs.getObject("starts", LocalTime.class),
					rs.getObject("ends", LocalTime.class)))
			.list();
		Map<Long, List<TimeSpan>> shifts = new HashMap<>();
		all.stream()
			.collect(Collectors.groupingBy(Day::staffId))
			.forEach((staffId, days) -> shifts.put(staffId, shiftsOf(days, from, to, zone)));
		applyExceptions(shifts, staffIds, branchId, from, to, zone);
		return shifts;
	}

	/** One date's own hours (or day off, with no hours) for a staff member. */
	private record Exception(long staffId, LocalDate day, LocalTime starts, LocalTime ends) {
	}

	/**
	 * Dates that differ from the pattern replace its shifts on those dates: other hours,
	 * or none for a day off.
	 */
	private void applyExceptions(Map<Long, List<TimeSpan>> shifts, List<Long> staffIds, long branchId, LocalDate from,
			LocalDate to, ZoneId zone) {
		List<Exception> exceptions = this.jdbc.sql("""
				select staff_id, day, starts, ends from work_exception
				 where staff_id in (:staff) and branch_id = :branch and day between :from and :to
				""")
			.param("staff", staffIds)
			.param("branch", branchId)
			.param("from", from)
			.param("to", to)
			.query((rs, n) -> new Exception(rs.getLong("staff_id"), rs.getObject("day", LocalDate.class),
					rs.getObject("starts", LocalTime.class), rs.getObject("ends", LocalTime.class)))
			.list();
		exceptions.stream().collect(Collectors.groupingBy(Exception::staffId)).forEach((staffId, own) -> {
			List<TimeSpan> result = new ArrayList<>(shifts.getOrDefault(staffId, List.of()));
			own.stream()
				.map(Exception::day)
				.distinct()
				.forEach(day -> result.removeIf(shift -> shift.start().atZone(zone).toLocalDate().equals(day)));
			own.stream()
				.filter(exception -> exception.starts() != null)
				.forEach(exception -> result
					.add(new TimeSpan(exception.day().atTime(exception.starts()).atZone(zone).toInstant(),
							exception.day().atTime(exception.ends()).atZone(zone).toInstant())));
			result.sort(java.util.Comparator.comparing(TimeSpan::start));
			shifts.put(staffId, result);
		});
	}

	/** One stretch of a staff member's pattern. */
	private record Day(long staffId, LocalDate validFrom, int cycle, int index, LocalTime starts, LocalTime ends) {
	}

	private static List<TimeSpan> shiftsOf(List<Day> days, LocalDate from, LocalDate to, ZoneId zone) {
		List<TimeSpan> shifts = new ArrayList<>();
		for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
			LocalDate date = day;
			// The pattern in force on a day is the latest that started on or before it.
			LocalDate inForce = days.stream()
				.map(Day::validFrom)
				.filter(start -> !start.isAfter(date))
				.max(LocalDate::compareTo)
				.orElse(null);
			if (inForce == null) {
				continue;
			}
			for (Day pattern : days) {
				if (!pattern.validFrom().equals(inForce)) {
					continue;
				}
				long index = Math.floorMod(ChronoUnit.DAYS.between(inForce, date), pattern.cycle());
				if (index == pattern.index()) {
					shifts.add(new TimeSpan(date.atTime(pattern.starts()).atZone(zone).toInstant(),
							date.atTime(pattern.ends()).atZone(zone).toInstant()));
				}
			}
		}
		shifts.sort(java.util.Comparator.comparing(TimeSpan::start));
		return shifts;
	}

	/**
	 * Absences, appointments and live online-booking holds that take the time of several
	 * staff members in a window, by staff member.
	 */
	@Transactional(readOnly = true)
	public Map<Long, List<TimeSpan>> busy(List<Long> staffIds, TimeSpan window) {
		if (staffIds.isEmpty()) {
			return Map.of();
		}
		return this.jdbc.sql("""
				select staff_id, lower(during) as s, upper(during) as e from staff_absence
				 where staff_id in (:staff) and during && tstzrange(:from, :to, '[)')
				union all
				select staff_id, lower(during), upper(during) from appointment
				 where staff_id in (:staff) and status <> 'CANCELLED' and during && tstzrange(:from, :to, '[)')
				union all
				select staff_id, lower(during), upper(during) from slot_hold
				 where staff_id in (:staff) and during && tstzrange(:from, :to, '[)') and expires_at > :now
				""")
			.param("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.param("staff", staffIds)
			.param("from", OffsetDateTime.ofInstant(window.start(), ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(window.end(), ZoneOffset.UTC))
			.query((rs, n) -> Map.entry(rs.getLong("staff_id"),
					new TimeSpan(rs.getObject("s", OffsetDateTime.class).toInstant(),
							rs.getObject("e", OffsetDateTime.class).toInstant())))
			.list()
			.stream()
			.collect(Collectors.groupingBy(Map.Entry::getKey,
					Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
	}

	/** Absences and appointments that hold the staff member's time in a window. */
	@Transactional(readOnly = true)
	public List<TimeSpan> busy(long staffId, TimeSpan window) {
		return busy(List.of(staffId), window).getOrDefault(staffId, List.of());
	}

	/** Whether an absence covers any of the span. */
	@Transactional(readOnly = true)
	public boolean absent(long staffId, TimeSpan span) {
		return this.jdbc.sql("""
				select count(*) > 0 from staff_absence where staff_id = :staff and during && tstzrange(:from, :to, '[)')
				""")
			.param("staff", staffId)
			.param("from", OffsetDateTime.ofInstant(span.start(), ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(span.end(), ZoneOffset.UTC))
			.query(Boolean.class)
			.single();
	}

}
