package dev.klinika.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.catalog.CatalogQueries;
import dev.klinika.organization.OrganizationQueries;
import dev.klinika.organization.OrganizationQueries.BranchOption;
import dev.klinika.patients.PatientSearch;
import dev.klinika.security.BranchScope;
import dev.klinika.shared.BranchDays;

/**
 * The visits of a day as the home pages show them: each branch's own calendar day (its
 * time zone), who is late now, and the day's figures beside other days. It reads only the
 * appointments; names come from the modules that own them.
 */
@Component
@Transactional(readOnly = true)
public class TodayVisits {

	/** How long after the start an expected patient counts as late. */
	public static final Duration LATE_AFTER = Duration.ofMinutes(5);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final OrganizationQueries organization;

	private final PatientSearch patients;

	private final CatalogQueries catalog;

	TodayVisits(JdbcClient jdbc, Clock clock, OrganizationQueries organization, PatientSearch patients,
			CatalogQueries catalog) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.organization = organization;
		this.patients = patients;
		this.catalog = catalog;
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

		public LocalDate day() {
			return this.start.atZoneSameInstant(this.zone).toLocalDate();
		}

	}

	/**
	 * Each branch of the scope's days: from its local midnight {@code offset} days from
	 * today, {@code count} days long.
	 */
	public BranchDays days(BranchScope scope, int offset, int count) {
		return new BranchDays(this.organization.branchOptions(scope).stream().map(branch -> {
			LocalDate today = LocalDate.now(this.clock.withZone(branch.zone()));
			return new BranchDays.Day(branch.id(), today.plusDays(offset).atStartOfDay(branch.zone()).toInstant(),
					today.plusDays(offset + count).atStartOfDay(branch.zone()).toInstant());
		}).toList());
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
		record Row(long id, long branchId, long patientId, long serviceId, long staffId, OffsetDateTime start,
				OffsetDateTime end, AppointmentStatus status, int past) {
		}
		BranchDays span = days(scope, offset, days);
		if (span.days().isEmpty()) {
			return List.of();
		}
		List<Row> rows = span
			.bind(this.jdbc
				.sql("""
						select a.id, a.branch_id, a.patient_id, a.service_id, a.staff_id, lower(a.during), upper(a.during), a.status,
						       (select count(*) from appointment x where x.patient_id = a.patient_id and x.status = 'COMPLETED'
						           and lower(x.during) < lower(a.during)) as past
						  from %s join appointment a on a.branch_id = d.branch_id
						   and a.during && tstzrange(d.day_from, d.day_to) and lower(a.during) >= d.day_from
						 where a.status <> 'CANCELLED' and (:staff::bigint is null or a.staff_id = :staff)
						 order by lower(a.during), a.id
						"""
					.formatted(BranchDays.TABLE)))
			.param("staff", staffId)
			.query((rs, n) -> new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
					rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class),
					AppointmentStatus.valueOf(rs.getString(8)), rs.getInt(9)))
			.list();
		Map<Long, BranchOption> branches = this.organization.branchOptions(scope)
			.stream()
			.collect(Collectors.toMap(BranchOption::id, Function.identity()));
		Map<Long, PatientSearch.Brief> people = this.patients.briefs(ids(rows, Row::patientId));
		Map<Long, String> services = this.catalog.names(ids(rows, Row::serviceId));
		Map<Long, String> staff = this.organization.staffNames(ids(rows, Row::staffId));
		return rows.stream().map(row -> {
			BranchOption branch = branches.get(row.branchId());
			PatientSearch.Brief patient = people.get(row.patientId());
			return new Visit(row.id(), row.branchId(), branch.name(), branch.zone(), row.patientId(),
					patient == null ? "—" : patient.name(), patient == null ? null : patient.phone(),
					services.getOrDefault(row.serviceId(), "—"), row.staffId(), staff.getOrDefault(row.staffId(), "—"),
					row.start(), row.end(), row.status(), row.past());
		}).sorted(Comparator.comparing(Visit::start).thenComparing(Visit::id)).toList();
	}

	private static <T> Set<Long> ids(List<T> rows, java.util.function.ToLongFunction<T> id) {
		Set<Long> ids = new HashSet<>();
		rows.forEach(row -> ids.add(id.applyAsLong(row)));
		return ids;
	}

	/** The figures of one branch's day. */
	public record Figures(long branchId, int planned, int came, int noShow, int cancelled) {
	}

	/** Each branch's figures for the day {@code offset} days from today. */
	public List<Figures> figures(BranchScope scope, int offset) {
		BranchDays span = days(scope, offset, 1);
		if (span.days().isEmpty()) {
			return List.of();
		}
		return span.bind(this.jdbc.sql("""
				select d.branch_id,
				       count(a.id) filter (where a.status <> 'CANCELLED') as planned,
				       count(a.id) filter (where a.status in ('CHECKED_IN', 'IN_PROGRESS', 'COMPLETED')) as came,
				       count(a.id) filter (where a.status = 'NO_SHOW') as no_show,
				       count(a.id) filter (where a.status = 'CANCELLED') as cancelled
				  from %s left join appointment a on a.branch_id = d.branch_id
				   and a.during && tstzrange(d.day_from, d.day_to) and lower(a.during) >= d.day_from
				 group by d.branch_id order by d.branch_id
				""".formatted(BranchDays.TABLE)))
			.query((rs, n) -> new Figures(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)))
			.list();
	}

	/**
	 * Patients whose first visit that took place fell between two instants, per the
	 * source on their card (null when none), most first.
	 */
	public Map<@Nullable String, Integer> firstVisitsPerSource(Instant from, Instant to, BranchScope scope) {
		List<Long> firsts = this.jdbc.sql("""
				select a.patient_id from appointment a
				 where a.status = 'COMPLETED' and a.during && tstzrange(:from, :to)
				   and lower(a.during) >= :from and (:all or a.branch_id in (:branches))
				   and not exists (select 1 from appointment x where x.patient_id = a.patient_id
				                   and x.status = 'COMPLETED' and lower(x.during) < lower(a.during))
				""")
			.param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query(Long.class)
			.list();
		Map<Long, PatientSearch.Brief> people = this.patients.briefs(new HashSet<>(firsts));
		Map<@Nullable String, Integer> counts = new LinkedHashMap<>();
		firsts.forEach(patient -> {
			PatientSearch.Brief brief = people.get(patient);
			counts.merge(brief == null ? null : brief.source(), 1, Integer::sum);
		});
		return counts.entrySet()
			.stream()
			.sorted(Map.Entry.<@Nullable String, Integer>comparingByValue().reversed())
			.collect(LinkedHashMap::new, (map, e) -> map.put(e.getKey(), e.getValue()), Map::putAll);
	}

	public OffsetDateTime now() {
		return OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

}
