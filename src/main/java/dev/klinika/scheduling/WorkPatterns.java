package dev.klinika.scheduling;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

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

}
