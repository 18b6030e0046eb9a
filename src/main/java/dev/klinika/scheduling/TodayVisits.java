package dev.klinika.scheduling;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;

/**
 * The visits of a day as the home pages show them: each branch's own calendar day (its
 * time zone), who is late now, and the day's figures beside other days.
 */
@Component
@Transactional(readOnly = true)
public class TodayVisits {

	/** How long after the start an expected patient counts as late. */
	public static final Duration LATE_AFTER = Duration.ofMinutes(5);

	private final JdbcClient jdbc;

	private final Clock clock;

	TodayVisits(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** A visit of the day with what the reception and the doctor need to act on it. */
	public record Visit(long id, long branchId, String branch, ZoneId zone, long patientId, String patient,
			@Nullable String phone, String service, long staffId, String staff, OffsetDateTime start,
			OffsetDateTime end, AppointmentStatus status, int pastVisits) {

		/** An expected patient whose time began more than a few minutes ago. */
		public boolean lateAt(OffsetDateTime now) {
			return (this.status == AppointmentStatus.BOOKED || this.status == AppointmentStatus.CONFIRMED)
					&& this.start.plus(LATE_AFTER).isBefore(now);
		}

		public String time() {
			return this.start.atZoneSameInstant(this.zone).toLocalTime().toString();
		}

		public String endTime() {
			return this.end.atZoneSameInstant(this.zone).toLocalTime().toString();
		}

		public @Nullable String phoneDisplay() {
			return this.phone == null ? null : dev.klinika.shared.PhoneNumber.displayOf(this.phone);
		}

		public java.time.LocalDate day() {
			return this.start.atZoneSameInstant(this.zone).toLocalDate();
		}

	}

	/**
	 * The visits not cancelled of the day {@code offset} days from today in the given
	 * branches, or of one staff member when given, in time order.
	 */
	public List<Visit> of(BranchScope scope, @Nullable Long staffId, int offset) {
		return days(scope, staffId, offset, 1);
	}

	/** The visits of {@code days} days from the day {@code offset} days from today. */
	public List<Visit> days(BranchScope scope, @Nullable Long staffId, int offset, int days) {
		return this.jdbc
			.sql("""
					select a.id, a.branch_id, b.name as branch, b.time_zone, a.patient_id,
					       p.surname || ' ' || p.name || coalesce(' ' || p.patronymic, '') as patient,
					       (select ph.number from patient_phone ph where ph.patient_id = p.id order by ph.main desc limit 1) as phone,
					       sv.name as service, a.staff_id, s.surname || ' ' || s.name || coalesce(' ' || s.patronymic, '') as staff,
					       lower(a.during) as starts, upper(a.during) as ends, a.status,
					       (select count(*) from appointment x where x.patient_id = a.patient_id and x.status = 'COMPLETED'
					           and lower(x.during) < lower(a.during)) as past
					  from appointment a join branch b on b.id = a.branch_id join patient p on p.id = a.patient_id
					  join service sv on sv.id = a.service_id join staff s on s.id = a.staff_id
					 where a.during && %s and a.status <> 'CANCELLED'
					   and (:all or a.branch_id in (:branches)) and (:staff::bigint is null or a.staff_id = :staff)
					 order by lower(a.during), a.id
					"""
				.formatted(dev.klinika.shared.BranchDays.range("b.time_zone", ":offset", ":offset + :days")))
			.param("now", now())
			.param("offset", offset)
			.param("days", days)
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.param("staff", staffId)
			.query(TodayVisits::visit)
			.list();
	}

	/** The figures of one branch's day. */
	public record Figures(long branchId, int planned, int came, int noShow, int cancelled) {
	}

	/** Each branch's figures for the day {@code offset} days from today. */
	public List<Figures> figures(BranchScope scope, int offset) {
		return this.jdbc.sql("""
				select b.id,
				       count(a.id) filter (where a.status <> 'CANCELLED') as planned,
				       count(a.id) filter (where a.status in ('CHECKED_IN', 'IN_PROGRESS', 'COMPLETED')) as came,
				       count(a.id) filter (where a.status = 'NO_SHOW') as no_show,
				       count(a.id) filter (where a.status = 'CANCELLED') as cancelled
				  from branch b left join appointment a on a.branch_id = b.id and a.during && %s
				 where b.active and (:all or b.id in (:branches))
				 group by b.id order by b.id
				""".formatted(dev.klinika.shared.BranchDays.range("b.time_zone", ":offset", ":offset + 1")))
			.param("now", now())
			.param("offset", offset)
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query((rs, n) -> new Figures(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)))
			.list();
	}

	/**
	 * Patients whose first visit that took place fell between two instants, per the
	 * source on their card ("—" when none), most first.
	 */
	public java.util.Map<String, Integer> firstVisitsPerSource(java.time.Instant from, java.time.Instant to,
			BranchScope scope) {
		java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
		this.jdbc.sql("""
				select coalesce(ps.name, '—'), count(*) from appointment a join patient p on p.id = a.patient_id
				  left join patient_source ps on ps.id = p.source_id
				 where a.status = 'COMPLETED' and a.during && tstzrange(:from, :to)
				   and lower(a.during) >= :from and (:all or a.branch_id in (:branches))
				   and not exists (select 1 from appointment x where x.patient_id = a.patient_id
				                   and x.status = 'COMPLETED' and lower(x.during) < lower(a.during))
				 group by 1 order by 2 desc, 1
				""")
			.param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query((rs, n) -> counts.put(rs.getString(1), rs.getInt(2)))
			.list();
		return counts;
	}

	public OffsetDateTime now() {
		return OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

	private static Visit visit(ResultSet rs, int n) throws SQLException {
		return new Visit(rs.getLong("id"), rs.getLong("branch_id"), rs.getString("branch"),
				ZoneId.of(rs.getString("time_zone")), rs.getLong("patient_id"), rs.getString("patient"),
				rs.getString("phone"), rs.getString("service"), rs.getLong("staff_id"), rs.getString("staff"),
				rs.getObject("starts", OffsetDateTime.class), rs.getObject("ends", OffsetDateTime.class),
				AppointmentStatus.valueOf(rs.getString("status")), rs.getInt("past"));
	}

}
