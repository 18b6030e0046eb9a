package dev.klinika.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long the history of {@code klinika.bench.visits} (default 10,000,000) paid visits
 * of {@code klinika.bench.patients} (default 1,000,000) generated patients takes to make
 * ({@link PaidVisits}), what it holds, and how long the first questions analytics asks of
 * it take in SQL (revenue by month, visits per patient, first-visit cohorts), beside a
 * count of the same rows as the baseline of the same run. Run with {@code ./mvnw -Pbench
 * verify -Dtest=PaidVisitsBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; results go
 * to target/bench/paid-visits.md.
 */
@Tag("bench")
class PaidVisitsBenchmark {

	static final long VISITS = Long.getLong("klinika.bench.visits", 10_000_000L);

	static final int PATIENTS = Integer.getInteger("klinika.bench.patients", 1_000_000);

	@Test
	void generatesTenMillionPaidVisits() throws Exception {
		try (ConfigurableApplicationContext context = GeneratedPatients.smallDemo("klinika_visits_bench")) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			long branch = GeneratedPatients.adminBranch(jdbc);
			long started = System.nanoTime();
			GeneratedPatients.insert(jdbc, branch, PATIENTS);
			long patientsMs = (System.nanoTime() - started) / 1_000_000;
			PaidVisits.Made made = PaidVisits.generate(jdbc,
					context.getBean(org.springframework.transaction.support.TransactionTemplate.class), VISITS);
			long totalMs = (System.nanoTime() - started) / 1_000_000;

			Map<String, Object> held = jdbc
				.sql("""
						select (select count(*) from appointment where created_by = 'bench' and status = 'COMPLETED') as visits,
						       (select count(*) from bill b join appointment a on a.id = b.appointment_id where a.created_by = 'bench') as bills,
						       (select count(*) from ledger_transfer) as transfers,
						       (select count(distinct patient_id) from appointment where created_by = 'bench') as patients,
						       (select sum(amount) from billing_payment_v) as revenue,
						       (select pg_size_pretty(pg_database_size(current_database()))) as size
						""")
				.query()
				.singleRow();
			assertThat(((Number) held.get("visits")).longValue()).isEqualTo(VISITS);
			assertThat(((Number) held.get("bills")).longValue()).isEqualTo(VISITS);
			// Never more taken than a bill costs.
			assertThat(jdbc
				.sql("""
						select count(*) from (select t.bill_id, sum(case when t.code = 'PAYMENT' then t.amount else 0 end) as paid
						                        from ledger_transfer t where t.code = 'PAYMENT' group by t.bill_id) p
						  join bill_line l on l.bill_id = p.bill_id where p.paid > l.amount
						""")
				.query(Long.class)
				.single()).isZero();

			List<String> rows = new ArrayList<>();
			rows.add(measure(jdbc, "count of the payments (baseline)", "select count(*) from billing_payment_v"));
			rows.add(measure(jdbc, "revenue by month, all branches", """
					select date_trunc('month', created_at at time zone 'Europe/Moscow') m, sum(amount)
					  from billing_payment_v group by 1 order by 1
					"""));
			rows.add(measure(jdbc, "visits per patient (distribution)", """
					select n, count(*) from (select patient_id, count(*) n from scheduling_appointment_v
					                          where status = 'COMPLETED' group by patient_id) x group by n order by n
					"""));
			rows.add(measure(jdbc, "first-visit cohorts × months since (retention)",
					"""
							with f as (select patient_id, min(starts_at) first from scheduling_appointment_v where status = 'COMPLETED'
							            group by patient_id)
							select date_trunc('month', f.first) cohort,
							       (extract(year from age(a.starts_at, f.first)) * 12 + extract(month from age(a.starts_at, f.first)))::int k,
							       count(distinct a.patient_id)
							  from scheduling_appointment_v a join f on f.patient_id = a.patient_id
							 where a.status = 'COMPLETED' group by 1, 2
							"""));
			StringBuilder report = new StringBuilder("# Paid visits\n\n");
			report.append(String.format(
					"%,d paid visits of %,d patients (%,d generated cards) to %d generated staff members: %,d bills, "
							+ "%,d ledger transfers, revenue %,.2f ₽; database %s.%n%n",
					VISITS, ((Number) held.get("patients")).longValue(), PATIENTS, made.staff(),
					((Number) held.get("bills")).longValue(), ((Number) held.get("transfers")).longValue(),
					held.get("revenue"), held.get("size")));
			report.append("| step | seconds |\n|---|---|\n");
			report.append(String.format("| %,d patients | %.1f |%n", PATIENTS, patientsMs / 1000.0));
			made.millis().forEach((step, ms) -> report.append(String.format("| %s | %.1f |%n", step, ms / 1000.0)));
			report
				.append(String.format("| **total** | **%.1f** (%.1f min) |%n%n", totalMs / 1000.0, totalMs / 60000.0));
			report.append("| SQL on the history (one run after a warm-up) | ms | × baseline |\n|---|---|---|\n");
			double baseline = Double.parseDouble(rows.get(0).split("\\|")[1]);
			for (String row : rows) {
				String[] parts = row.split("\\|");
				report.append(String.format("| %s | %s | %.1f |%n", parts[0], parts[1],
						Double.parseDouble(parts[1]) / baseline));
			}
			Path out = Path.of("target/bench/paid-visits.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report);
			System.out.println(report);
		}
	}

	/** One warm-up, then one timed run: "name|ms". */
	private static String measure(JdbcClient jdbc, String name, String sql) {
		jdbc.sql(sql).query().listOfRows();
		long started = System.nanoTime();
		jdbc.sql(sql).query().listOfRows();
		return name + "|" + String.format(java.util.Locale.ROOT, "%.0f", (System.nanoTime() - started) / 1e6);
	}

}
