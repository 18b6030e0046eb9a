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

		BRANCH("branch_id", "(select b.name from organization_branch_v b where b.id = g.key)", "a.branch_id", ""),

		DOCTOR("doctor_id", "(select s.surname || ' ' || s.name from organization_staff_v s where s.id = g.key)",
				"a.staff_id", ""),

		CATEGORY("category_id", "(select c.name from catalog_category_v c where c.id = g.key)", "sv.category_id",
				"left join catalog_service_v sv on sv.id = a.service_id");

		/** The row's key in the counters. */
		private final String countKey;

		/** The same in the pathway table. */
		private final String pathwayKey;

		private final String name;

		private final String visitKey;

		private final String visitJoin;

		By(String countKey, String name, String visitKey, String visitJoin) {
			this.countKey = "r." + countKey;
			this.pathwayKey = "doctor_id".equals(countKey) ? "p.prescribed_by" : "p." + countKey;
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
	 * Pathways prescribed from {@code from} to {@code to} (days of each pathway's branch;
	 * the patients received: days in {@code zone}); months: the twelve up to {@code to}.
	 */
	@Transactional(readOnly = true)
	Report report(LocalDate from, LocalDate to, ZoneId zone, By by, BranchScope scope) {
		Instant start = from.atStartOfDay(zone).toInstant();
		Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
		Map<Long, int[]> received = received(by, start, end, scope);
		Map<Long, int[]> patients = patients(by, from, to, scope);
		List<Group> groups = new ArrayList<>();
		Group[] total = { null };
		// The counters the pathway table's triggers keep (migration care_report_rollup):
		// a
		// row per key and the rollup's row for the whole scope.
		this.jdbc.sql("""
				with g as (
				  select %s as key, grouping(%s) as whole, sum(prescribed) as prescribed, sum(accepted) as accepted,
				         sum(declined) as declined, sum(started) as started, sum(completed) as completed,
				         sum(abandoned) as abandoned, sum(proposed_value) as proposed_value,
				         sum(accepted_value) as accepted_value, sum(paid) as paid
				    from care_report_count r
				   where %s and r.day between :from and :to
				   group by rollup (%s))
				select g.*, %s as name from g where prescribed <> 0 or whole = 1
				 order by whole, prescribed desc, key nulls last
				""".formatted(by.countKey, by.countKey, scope.sql("r.branch_id"), by.countKey, by.name))
			.param("ids", scope.idsForSql())
			.param("from", from)
			.param("to", to)
			.query((rs, n) -> {
				boolean whole = rs.getInt("whole") == 1;
				Long key = whole ? null : (Long) rs.getObject("key");
				Long at = whole ? Long.valueOf(-1L) : key;
				Group group = new Group(key, whole ? null : rs.getString("name"), rs.getInt("prescribed"),
						rs.getInt("accepted"), rs.getInt("declined"), rs.getInt("started"), rs.getInt("completed"),
						rs.getInt("abandoned"), patients.getOrDefault(at, new int[1])[0],
						received.getOrDefault(at, new int[1])[0], rub(rs.getBigDecimal("proposed_value")),
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
		return new Report(groups, java.util.Objects.requireNonNull(total[0]), stops(from, to, scope),
				months(to, scope));
	}

	/**
	 * The distinct patients prescribed for in the period, per row key, and over the whole
	 * scope under the key -1: from the covering index on the prescription day.
	 */
	private Map<Long, int[]> patients(By by, LocalDate from, LocalDate to, BranchScope scope) {
		// The distinct count sorts the period's rows: in memory, not on disk.
		this.jdbc.sql("set local work_mem = '64MB'").update();
		return perKey("""
				select %s as key, count(distinct p.patient_id) as patients, grouping(%s) as whole
				  from care_pathway p
				 where %s and p.created_day between :from and :to
				 group by rollup (%s)
				""".formatted(by.pathwayKey, by.pathwayKey, scope.sql("p.branch_id"), by.pathwayKey), scope, from, to);
	}

	/**
	 * The distinct patients whose visits were completed in the period, per row key, and
	 * over the whole scope under the key -1.
	 */
	private Map<Long, int[]> received(By by, Instant start, Instant end, BranchScope scope) {
		return perKey("""
				select %s as key, count(distinct a.patient_id) as patients, grouping(%s) as whole
				  from scheduling_appointment_v a %s
				 where %s and a.status = 'COMPLETED'
				   and a.during && tstzrange(:from, :to)
				 group by rollup (%s)
				""".formatted(by.visitKey, by.visitKey, by.visitJoin, scope.sql("a.branch_id"), by.visitKey), scope,
				PathwayProgress.utc(start), PathwayProgress.utc(end));
	}

	private Map<Long, int[]> perKey(String sql, BranchScope scope, Object from, Object to) {
		Map<Long, int[]> counts = new LinkedHashMap<>();
		this.jdbc.sql(sql)
			.param("ids", scope.idsForSql())
			.param("from", from)
			.param("to", to)
			.query((rs, n) -> counts.put(rs.getInt("whole") == 1 ? Long.valueOf(-1L) : (Long) rs.getObject("key"),
					new int[] { rs.getInt("patients") }))
			.list();
		return counts;
	}

	/** The abandoned pathways of the period by the step they stopped at. */
	private Map<String, Integer> stops(LocalDate from, LocalDate to, BranchScope scope) {
		Map<String, Integer> stops = new LinkedHashMap<>();
		STOPS.forEach(stop -> stops.put(stop, 0));
		this.jdbc.sql("""
				select stop, sum(abandoned) from care_report_count r
				 where %s and r.day between :from and :to and stop is not null
				 group by 1
				""".formatted(scope.sql("r.branch_id")))
			.param("ids", scope.idsForSql())
			.param("from", from)
			.param("to", to)
			.query((rs, n) -> stops.put(rs.getString(1), rs.getInt(2)))
			.list();
		return stops;
	}

	/** The twelve months up to {@code to}: plans started and finished in each. */
	private List<Month> months(LocalDate to, BranchScope scope) {
		YearMonth last = YearMonth.from(to);
		YearMonth first = last.minusMonths(11);
		Map<YearMonth, int[]> counts = new LinkedHashMap<>();
		for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
			counts.put(m, new int[2]);
		}
		this.jdbc.sql("""
				select to_char(day, 'YYYY-MM'), sum(started), sum(finished) from care_month_count r
				 where %s and r.day between :from and :to group by 1
				""".formatted(scope.sql("r.branch_id")))
			.param("ids", scope.idsForSql())
			.param("from", first.atDay(1))
			.param("to", last.atEndOfMonth())
			.query((rs, n) -> {
				int[] month = counts.get(YearMonth.parse(rs.getString(1)));
				if (month != null) {
					month[0] = rs.getInt(2);
					month[1] = rs.getInt(3);
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
