package dev.klinika.care;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;
import dev.klinika.shared.Money;

/**
 * The report on pathways prescribed in a period, per branch, prescribing doctor or
 * service category: how many were accepted, started, completed, abandoned, where the
 * abandoned ones stopped, what share of the patients received got one, and the plans'
 * value proposed, accepted and paid; and per month, plans finished minus plans started
 * (seed 001's vital sign).
 */
@Component
class PathwayReport {

	/** What the rows are. */
	enum By {

		BRANCH("p.branch_id", "(select b.name from organization_branch_v b where b.id = g.key)", "a.branch_id", ""),

		DOCTOR("p.prescribed_by", "(select s.surname || ' ' || s.name from organization_staff_v s where s.id = g.key)",
				"a.staff_id", ""),

		CATEGORY("p.category_id", "(select c.name from catalog_category_v c where c.id = g.key)", "sv.category_id",
				"left join catalog_service_v sv on sv.id = a.service_id");

		private final String pathwayKey;

		private final String name;

		private final String visitKey;

		private final String visitJoin;

		By(String pathwayKey, String name, String visitKey, String visitJoin) {
			this.pathwayKey = pathwayKey;
			this.name = name;
			this.visitKey = visitKey;
			this.visitJoin = visitJoin;
		}

		static By of(String text) {
			for (By by : values()) {
				if (by.name().equalsIgnoreCase(text)) {
					return by;
				}
			}
			return BRANCH;
		}

	}

	/** Where an abandoned pathway stopped, in the order of the path. */
	static final List<String> STOPS = List.of("NOT_BOOKED", "NOT_CAME", "AFTER_1", "AFTER_2_3", "AFTER_4",
			"COURSE_DONE");

	/** One row: a branch, doctor or category (key null: none), or the total. */
	record Group(@Nullable Long key, @Nullable String name, int prescribed, int accepted, int declined, int started,
			int completed, int abandoned, int patients, int received, Money proposedValue, Money acceptedValue,
			Money paid) {

		/** Share of the prescribed that were accepted, in whole percent. */
		public @Nullable Integer acceptedShare() {
			return percent(this.accepted, this.prescribed);
		}

		public @Nullable Integer completedShare() {
			return percent(this.completed, this.prescribed);
		}

		/** Share of the patients received who got a pathway. */
		public @Nullable Integer patientsShare() {
			return percent(this.patients, this.received);
		}

	}

	/** A month: plans started (first attended session), finished, and the difference. */
	record Month(YearMonth month, int started, int finished) {

		public int net() {
			return this.finished - this.started;
		}

	}

	/** The whole report. */
	record Report(List<Group> groups, Group total, Map<String, Integer> stops, List<Month> months) {
	}

	private final JdbcClient jdbc;

	PathwayReport(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Pathways prescribed from {@code from} to {@code to} (days in {@code zone}); months:
	 * the twelve up to {@code to}.
	 */
	@Transactional(readOnly = true)
	Report report(LocalDate from, LocalDate to, ZoneId zone, By by, BranchScope scope) {
		Instant start = from.atStartOfDay(zone).toInstant();
		Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
		Map<Long, int[]> received = received(by, start, end, scope);
		List<Group> groups = new ArrayList<>();
		Group[] total = { null };
		// The period's pathways are read from one covering index (care_report); the
		// rows per key and the total are sorted in memory, not on disk.
		this.jdbc.sql("set local work_mem = '64MB'").update();
		// One pass over the period's pathways: a row per key, and the rollup's row for
		// the whole scope (its patients counted once even when in two rows); what was
		// paid for their sessions is joined once, not looked up per pathway.
		this.jdbc.sql("""
				with p as materialized (
				  select p.id, p.patient_id, p.status, p.accepted_at, p.started_at, p.estimate, %s as key
				    from care_pathway p
				   where %s and p.created_at >= :start and p.created_at < :end),
				paid as (
				  select cs.pathway_id, sum(b.paid - b.refunded) as paid from p
				    join care_session cs on cs.pathway_id = p.id
				    join billing_bill_v b on b.appointment_id = cs.appointment_id and b.voided_at is null
				   group by 1),
				g as (
				  select key, grouping(key) as whole, count(*) as prescribed,
				         count(*) filter (where accepted_at is not null) as accepted,
				         count(*) filter (where status = 'DECLINED') as declined,
				         count(*) filter (where started_at is not null) as started,
				         count(*) filter (where status = 'COMPLETED') as completed,
				         count(*) filter (where status = 'ABANDONED') as abandoned,
				         count(distinct patient_id) as patients,
				         coalesce(sum(estimate), 0) as proposed_value,
				         coalesce(sum(estimate) filter (where accepted_at is not null), 0) as accepted_value,
				         coalesce(sum(paid.paid), 0) as paid
				    from p left join paid on paid.pathway_id = p.id group by rollup (key))
				select g.*, %s as name from g order by whole, prescribed desc, key nulls last
				""".formatted(by.pathwayKey, scope.sql("p.branch_id"), by.name))
			.param("ids", scope.idsForSql())
			.param("start", PathwayProgress.utc(start))
			.param("end", PathwayProgress.utc(end))
			.query((rs, n) -> {
				boolean whole = rs.getInt("whole") == 1;
				Long key = whole ? null : (Long) rs.getObject("key");
				int[] seen = received.getOrDefault(whole ? Long.valueOf(-1L) : key, new int[1]);
				Group group = new Group(key, whole ? null : rs.getString("name"), rs.getInt("prescribed"),
						rs.getInt("accepted"), rs.getInt("declined"), rs.getInt("started"), rs.getInt("completed"),
						rs.getInt("abandoned"), rs.getInt("patients"), seen[0], rub(rs.getBigDecimal("proposed_value")),
						rub(rs.getBigDecimal("accepted_value")), rub(rs.getBigDecimal("paid")));
				if (whole) {
					total[0] = group;
				}
				else {
					groups.add(group);
				}
				return group;
			})
			.list();
		return new Report(groups, java.util.Objects.requireNonNull(total[0]), stops(start, end, scope),
				months(to, zone, scope));
	}

	/**
	 * The distinct patients whose visits were completed in the period, per row key, and
	 * over the whole scope under the key -1.
	 */
	private Map<Long, int[]> received(By by, Instant start, Instant end, BranchScope scope) {
		Map<Long, int[]> received = new LinkedHashMap<>();
		this.jdbc.sql("""
				select %s as key, count(distinct a.patient_id) as patients, grouping(%s) as whole
				  from scheduling_appointment_v a %s
				 where %s and a.status = 'COMPLETED'
				   and a.during && tstzrange(:start, :end)
				 group by rollup (%s)
				""".formatted(by.visitKey, by.visitKey, by.visitJoin, scope.sql("a.branch_id"), by.visitKey))
			.param("ids", scope.idsForSql())
			.param("start", PathwayProgress.utc(start))
			.param("end", PathwayProgress.utc(end))
			.query((rs, n) -> received.put(rs.getInt("whole") == 1 ? Long.valueOf(-1L) : (Long) rs.getObject("key"),
					new int[] { rs.getInt("patients") }))
			.list();
		return received;
	}

	/** The abandoned pathways of the period by the step they stopped at. */
	private Map<String, Integer> stops(Instant start, Instant end, BranchScope scope) {
		Map<String, Integer> stops = new LinkedHashMap<>();
		STOPS.forEach(stop -> stops.put(stop, 0));
		this.jdbc.sql("""
				select case when s.course_done > 0 then 'COURSE_DONE'
				            when s.attended >= 4 then 'AFTER_4'
				            when s.attended >= 2 then 'AFTER_2_3'
				            when s.attended = 1 then 'AFTER_1'
				            when s.booked > 0 then 'NOT_CAME'
				            else 'NOT_BOOKED' end as stop, count(*)
				  from care_pathway p
				  cross join lateral (
				    select count(*) filter (where st.kind = 'ATTENDED' and st.position is not null) as attended,
				           count(*) filter (where st.kind = 'BOOKED') as booked,
				           count(*) filter (where st.kind = 'COURSE_DONE') as course_done
				      from care_step st where st.pathway_id = p.id) s
				 where %s and p.created_at >= :start and p.created_at < :end
				   and p.status = 'ABANDONED'
				 group by 1
				""".formatted(scope.sql("p.branch_id")))
			.param("ids", scope.idsForSql())
			.param("start", PathwayProgress.utc(start))
			.param("end", PathwayProgress.utc(end))
			.query((rs, n) -> stops.put(rs.getString(1), rs.getInt(2)))
			.list();
		return stops;
	}

	/** The twelve months up to {@code to}: plans started and finished in each. */
	private List<Month> months(LocalDate to, ZoneId zone, BranchScope scope) {
		YearMonth last = YearMonth.from(to);
		YearMonth first = last.minusMonths(11);
		Map<YearMonth, int[]> counts = new LinkedHashMap<>();
		for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
			counts.put(m, new int[2]);
		}
		Instant start = first.atDay(1).atStartOfDay(zone).toInstant();
		Instant end = last.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
		this.jdbc
			.sql("""
					select to_char(started_at at time zone :zone, 'YYYY-MM') as month, 0 as which, count(*) from care_pathway
					 where %s and started_at >= :start and started_at < :end group by 1
					union all
					select to_char(ended_at at time zone :zone, 'YYYY-MM'), 1, count(*) from care_pathway
					 where %s and status = 'COMPLETED' and ended_at >= :start and ended_at < :end
					 group by 1
					"""
				.formatted(scope.sql("branch_id"), scope.sql("branch_id")))
			.param("zone", zone.getId())
			.param("ids", scope.idsForSql())
			.param("start", PathwayProgress.utc(start))
			.param("end", PathwayProgress.utc(end))
			.query((rs, n) -> {
				int[] month = counts.get(YearMonth.parse(rs.getString(1)));
				if (month != null) {
					month[rs.getInt(2)] = rs.getInt(3);
				}
				return month;
			})
			.list();
		List<Month> months = new ArrayList<>();
		counts.forEach((month, c) -> months.add(new Month(month, c[0], c[1])));
		return months;
	}

	private static Money rub(@Nullable BigDecimal amount) {
		return amount == null ? Money.zero(Money.RUB) : Money.of(amount, Money.RUB);
	}

	private static @Nullable Integer percent(int part, int whole) {
		return whole == 0 ? null : Math.round(part * 100f / whole);
	}

}
