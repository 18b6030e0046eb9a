package dev.klinika.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.scheduling.TodayVisits;
import dev.klinika.security.BranchScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each role's home page, the first page of every morning, over HTTP on a base of
 * {@code klinika.bench.patients} (default 1,000,000) generated patients, a full day of
 * visits in the admin's branch (every staff member booked every half hour), and 100,000
 * calls, beside a static file in the same run, and the SQL of the day's visits. Run with
 * {@code ./mvnw -Pbench verify -Dtest=HomePagesBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; results go to target/bench/home-pages.md.
 */
@Tag("bench")
class HomePagesBenchmark {

	static final int PATIENTS = Integer.getInteger("klinika.bench.patients", 1_000_000);

	static final int RUNS = Integer.getInteger("klinika.bench.runs", 200);

	@Test
	void measuresEachRolesHomePageAtAMillionPatients() throws Exception {
		try (ConfigurableApplicationContext context = GeneratedPatients.smallDemo("klinika_home_bench")) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			long branch = GeneratedPatients.adminBranch(jdbc);
			long started = System.nanoTime();
			GeneratedPatients.insert(jdbc, branch, PATIENTS);
			GeneratedPatients.insertCalls(jdbc, branch, 100_000);
			// Today and tomorrow, every staff member of the branch every half hour from 8
			// to 20 where they are free, patients from the generated ones.
			int booked = jdbc
				.sql("""
						insert into appointment (branch_id, staff_id, patient_id, service_id, during, status, created_by)
						select :branch, sb.staff_id, p.first + (sb.staff_id * 1000 + d * 100 + h) % 900000,
						       (select min(id) from service), tstzrange(t.at, t.at + interval '25 minutes'),
						       (array['BOOKED', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW'])[1 + (h + sb.staff_id) % 5], 'bench'
						  from staff_branch sb
						  cross join generate_series(0, 1) d cross join generate_series(0, 23) h
						  cross join (select min(id) as first from patient where created_by = 'bench') p
						  cross join lateral (select (date_trunc('day', now() at time zone b.time_zone) + d * interval '1 day'
						                              + interval '8 hours' + h * interval '30 minutes') at time zone b.time_zone as at
						                        from branch b where b.id = :branch) t
						 where sb.branch_id = :branch
						on conflict do nothing
						""")
				.param("branch", branch)
				.update();
			jdbc.sql("vacuum analyze").update();
			long generated = (System.nanoTime() - started) / 1_000_000;
			long patients = jdbc.sql("select count(*) from patient").query(Long.class).single();
			assertThat(patients).isGreaterThanOrEqualTo(PATIENTS);
			assertThat(booked).isGreaterThan(100);

			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			List<String> logins = List.of("admin", "senior", "doctor", "consultant", "owner", "marketer");
			List<LoggedIn> sessions = new java.util.ArrayList<>();
			for (String login : logins) {
				sessions.add(LoggedIn.as(base, login));
			}
			assertThat(sessions.get(0).body("/")).contains("id=\"reception-today\"");
			assertThat(sessions.get(4).body("/")).contains("id=\"network-today\"");
			Latencies statics = new Latencies("baseline: GET /favicon.svg, same client", RUNS);
			List<Latencies> http = logins.stream().map(login -> new Latencies("GET / as " + login, RUNS)).toList();
			TodayVisits visits = context.getBean(TodayVisits.class);
			Latencies sql = new Latencies("SQL: TodayVisits.of(branch, today)", RUNS);
			for (int warmup = 0; warmup < 20; warmup++) {
				sessions.forEach(session -> session.get("/"));
			}
			for (int i = 0; i < RUNS; i++) {
				statics.time(() -> sessions.get(0).get("/favicon.svg"));
				for (int s = 0; s < sessions.size(); s++) {
					LoggedIn session = sessions.get(s);
					http.get(s).time(() -> assertThat(session.get("/")).isEqualTo(200));
				}
				sql.time(() -> visits.of(BranchScope.of(java.util.Set.of(branch)), null, 0));
			}
			StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
					"Patients: %d; %d bench visits today and tomorrow in the admin's branch, 100,000 calls; "
							+ "generated in %d ms.%nPage sizes: admin %d KB, owner %d KB.%n%n",
					patients, booked, generated, sessions.get(0).body("/").length() / 1024,
					sessions.get(4).body("/").length() / 1024));
			report.append(Latencies.header()).append("\n").append(statics.row()).append("\n");
			http.forEach(latencies -> report.append(latencies.row()).append("\n"));
			report.append(sql.row()).append("\n\n");
			double worst = http.stream().mapToDouble(latencies -> latencies.percentile(95)).max().orElseThrow();
			report.append(String.format(Locale.ROOT, "Worst home page p95 %.1f ms, %.1f× the static file's p95.%n",
					worst, worst / statics.percentile(95)));
			Path out = Path.of("target/bench/home-pages.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report.toString());
			System.out.println(report);
		}
	}

}
