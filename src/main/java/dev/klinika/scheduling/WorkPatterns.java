package dev.klinika.scheduling;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;

/**
 * Sets when staff work (weekly patterns, rotations, 2/2 shifts) and records their
 * absences.
 */
@Service
@Transactional
public class WorkPatterns {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	WorkPatterns(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/**
	 * One working stretch on a day of the cycle (0 = the pattern's first day); a break is
	 * two stretches.
	 */
	public record Stretch(int dayIndex, LocalTime starts, LocalTime ends) {

		public Stretch {
			if (dayIndex < 0 || !ends.isAfter(starts)) {
				throw new IllegalArgumentException("A stretch has a day of the cycle and ends after it starts");
			}
		}

	}

	/**
	 * Sets the pattern from a date on; setting it again for the same date replaces it.
	 */
	public long set(long staffId, long branchId, LocalDate validFrom, int cycleDays, List<Stretch> stretches) {
		if (cycleDays < 1 || cycleDays > 28 || stretches.stream().anyMatch(s -> s.dayIndex() >= cycleDays)) {
			throw new IllegalArgumentException("A cycle has 1 to 28 days and its stretches fall inside it");
		}
		long id = this.jdbc
			.sql("""
					insert into work_pattern (staff_id, branch_id, valid_from, cycle_days) values (:staff, :branch, :from, :cycle)
					on conflict (staff_id, branch_id, valid_from) do update set cycle_days = excluded.cycle_days,
					    version = work_pattern.version + 1
					returning id
					""")
			.param("staff", staffId)
			.param("branch", branchId)
			.param("from", validFrom)
			.param("cycle", cycleDays)
			.query(Long.class)
			.single();
		this.jdbc.sql("delete from work_pattern_day where work_pattern_id = :id").param("id", id).update();
		for (Stretch stretch : stretches) {
			this.jdbc
				.sql("""
						insert into work_pattern_day (work_pattern_id, day_index, starts, ends) values (:id, :day, :starts, :ends)
						""")
				.param("id", id)
				.param("day", stretch.dayIndex())
				.param("starts", stretch.starts())
				.param("ends", stretch.ends())
				.update();
		}
		this.audit.record("WORK_PATTERN_SET", "staff", staffId, "branch " + branchId + " from " + validFrom + ", cycle "
				+ cycleDays + ", " + stretches.size() + " stretches");
		return id;
	}

	/** Records a vacation, sick leave or training that blocks the staff member's time. */
	public long absence(long staffId, String kind, TimeSpan during, String note) {
		long id = this.jdbc
			.sql("""
					insert into staff_absence (staff_id, kind, during, note) values (:staff, :kind, tstzrange(:from, :to, '[)'), :note)
					returning id
					""")
			.param("staff", staffId)
			.param("kind", kind)
			.param("from", OffsetDateTime.ofInstant(during.start(), ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(during.end(), ZoneOffset.UTC))
			.param("note", note)
			.query(Long.class)
			.single();
		this.audit.record("ABSENCE_ADDED", "staff", staffId, kind + " " + during.start() + " - " + during.end());
		return id;
	}

	/**
	 * Sets a date's own hours in a branch (other hours, a split day), replacing any set
	 * before; no stretches makes it a day off.
	 */
	public void exception(long staffId, long branchId, LocalDate day, List<Stretch> stretches, String note) {
		this.jdbc.sql("delete from work_exception where staff_id = :staff and branch_id = :branch and day = :day")
			.param("staff", staffId)
			.param("branch", branchId)
			.param("day", day)
			.update();
		List<Stretch> rows = stretches.isEmpty() ? java.util.Collections.singletonList(null) : stretches;
		for (Stretch stretch : rows) {
			this.jdbc.sql("""
					insert into work_exception (staff_id, branch_id, day, starts, ends, note)
					values (:staff, :branch, :day, :starts, :ends, :note)
					""")
				.param("staff", staffId)
				.param("branch", branchId)
				.param("day", day)
				.param("starts", stretch == null ? null : stretch.starts())
				.param("ends", stretch == null ? null : stretch.ends())
				.param("note", note == null || note.isBlank() ? null : note.trim())
				.update();
		}
		this.audit.record("WORK_EXCEPTION_SET", "staff", staffId, "branch " + branchId + ", " + day + ": "
				+ (stretches.isEmpty() ? "day off" : stretches.size() + " stretches"));
	}

	/** The date follows the pattern again. */
	public void removeException(long staffId, long branchId, LocalDate day) {
		this.jdbc.sql("delete from work_exception where staff_id = :staff and branch_id = :branch and day = :day")
			.param("staff", staffId)
			.param("branch", branchId)
			.param("day", day)
			.update();
		this.audit.record("WORK_EXCEPTION_REMOVED", "staff", staffId, "branch " + branchId + ", " + day);
	}

	public void removeAbsence(long staffId, long absenceId) {
		this.jdbc.sql("delete from staff_absence where id = :id and staff_id = :staff")
			.param("id", absenceId)
			.param("staff", staffId)
			.update();
		this.audit.record("ABSENCE_REMOVED", "staff", staffId, "absence " + absenceId);
	}

	/**
	 * Visits (not cancelled) of the staff member in a span: the ones an absence would
	 * strand.
	 */
	public int visitsDuring(long staffId, TimeSpan during) {
		return this.jdbc.sql("""
				select count(*) from appointment
				 where staff_id = :staff and status not in ('CANCELLED', 'COMPLETED', 'NO_SHOW')
				   and during && tstzrange(:from, :to, '[)')
				""")
			.param("staff", staffId)
			.param("from", OffsetDateTime.ofInstant(during.start(), ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(during.end(), ZoneOffset.UTC))
			.query(Integer.class)
			.single();
	}

	/** A pattern as the screen shows it. */
	public record Pattern(long id, LocalDate validFrom, int cycleDays, List<Stretch> stretches) {
	}

	/** The patterns of a staff member in a branch, the latest first. */
	public List<Pattern> patterns(long staffId, long branchId) {
		List<Pattern> patterns = this.jdbc.sql("""
				select id, valid_from, cycle_days from work_pattern where staff_id = :staff and branch_id = :branch
				 order by valid_from desc
				""")
			.param("staff", staffId)
			.param("branch", branchId)
			.query((rs, n) -> new Pattern(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getInt(3), List.of()))
			.list();
		return patterns.stream()
			.map(p -> new Pattern(p.id(), p.validFrom(), p.cycleDays(),
					this.jdbc
						.sql("""
								select day_index, starts, ends from work_pattern_day where work_pattern_id = :id order by day_index, starts
								""")
						.param("id", p.id())
						.query((rs, n) -> new Stretch(rs.getInt(1), rs.getObject(2, java.time.LocalTime.class),
								rs.getObject(3, java.time.LocalTime.class)))
						.list()))
			.toList();
	}

	/** A date's own hours; no hours is a day off. */
	public record DateHours(LocalDate day, java.time.@Nullable LocalTime starts, java.time.@Nullable LocalTime ends,
			@Nullable String note) {
	}

	/** Dates from today on with their own hours in a branch. */
	public List<DateHours> exceptions(long staffId, long branchId, LocalDate from) {
		return this.jdbc.sql("""
				select day, starts, ends, note from work_exception
				 where staff_id = :staff and branch_id = :branch and day >= :from order by day, starts nulls first
				""")
			.param("staff", staffId)
			.param("branch", branchId)
			.param("from", from)
			.query((rs, n) -> new DateHours(rs.getObject(1, LocalDate.class),
					rs.getObject(2, java.time.LocalTime.class), rs.getObject(3, java.time.LocalTime.class),
					rs.getString(4)))
			.list();
	}

	/** An absence as the screen shows it. */
	public record Absence(long id, String kind, TimeSpan during, @Nullable String note) {
	}

	/** Absences that have not ended yet. */
	public List<Absence> absences(long staffId, java.time.Instant from) {
		return this.jdbc.sql("""
				select id, kind, lower(during) as s, upper(during) as e, note from staff_absence
				 where staff_id = :staff and upper(during) > :from order by lower(during)
				""")
			.param("staff", staffId)
			.param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
			.query((rs, n) -> new Absence(rs.getLong("id"), rs.getString("kind"),
					new TimeSpan(rs.getObject("s", OffsetDateTime.class).toInstant(),
							rs.getObject("e", OffsetDateTime.class).toInstant()),
					rs.getString("note")))
			.list();
	}

}
