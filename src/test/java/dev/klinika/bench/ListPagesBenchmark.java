package dev.klinika.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;

import dev.klinika.security.KlinikaUser;
import dev.klinika.tasks.TaskQueries;
import dev.klinika.telephony.CallerCard;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lists staff open all day, over HTTP as the logged-in admin, on a base of
 * {@code klinika.bench.patients} (default 1,000,000) generated patients with 2,000 open
 * tasks of the admin's branch and 100,000 calls of a year, beside a static file in the
 * same run, and the SQL behind each. Run with {@code ./mvnw -Pbench verify
 * -Dtest=ListPagesBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; results go to
 * target/bench/list-pages.md.
 */
@Tag("bench")
class ListPagesBenchmark {

	static final int PATIENTS = Integer.getInteger("klinika.bench.patients", 1_000_000);

	static final int RUNS = Integer.getInteger("klinika.bench.runs", 300);

	@Test
	void measuresTheTaskAndCallListsAtAMillionPatients() throws Exception {
		try (ConfigurableApplicationContext context = GeneratedPatients.smallDemo("klinika_lists_bench")) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			long branch = GeneratedPatients.adminBranch(jdbc);
			long started = System.nanoTime();
			GeneratedPatients.insert(jdbc, branch, PATIENTS);
			jdbc.sql(
					"""
							insert into task (title, kind, patient_id, branch_id, owner_role, due_at, priority, created_by)
							select 'Перезвонить: ' || g, 'CALL_BACK', p.first + g * 37, :branch, 'ADMIN',
							       now() + ((g % 480) - 240) * interval '1 hour', (array['LOW', 'NORMAL', 'HIGH', 'URGENT'])[1 + g % 4],
							       'bench'
							  from generate_series(1, 2000) g
							  cross join (select min(id) as first from patient where created_by = 'bench') p
							""")
				.param("branch", branch)
				.update();
			GeneratedPatients.insertCalls(jdbc, branch, 100_000);
			jdbc.sql("vacuum analyze").update();
			long generated = (System.nanoTime() - started) / 1_000_000;
			long patients = jdbc.sql("select count(*) from patient").query(Long.class).single();
			assertThat(patients).isGreaterThanOrEqualTo(PATIENTS);

			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			LoggedIn admin = LoggedIn.as(base, "admin");
			KlinikaUser me = (KlinikaUser) context.getBean(UserDetailsService.class).loadUserByUsername("admin");
			TaskQueries tasks = context.getBean(TaskQueries.class);
			CallerCard calls = context.getBean(CallerCard.class);
			List<String> pages = List.of("/tasks", "/tasks?view=BRANCH", "/tasks?page=20", "/telephony/calls",
					"/telephony/calls?missed=true", "/telephony/calls?page=100");
			for (String page : pages) {
				assertThat(admin.body(page)).contains("list-range").doesNotContain("class=\"error");
			}
			Latencies statics = new Latencies("baseline: GET /favicon.svg, same client", RUNS);
			List<Latencies> http = pages.stream().map(page -> new Latencies("GET " + page, RUNS)).toList();
			Latencies taskSql = new Latencies("SQL: TaskQueries.page(MINE), page 1", RUNS);
			Latencies callSql = new Latencies("SQL: CallerCard.latest, page 1", RUNS);
			for (int warmup = 0; warmup < 30; warmup++) {
				pages.forEach(admin::get);
			}
			for (int i = 0; i < RUNS; i++) {
				statics.time(() -> admin.get("/favicon.svg"));
				for (int p = 0; p < pages.size(); p++) {
					String page = pages.get(p);
					http.get(p).time(() -> assertThat(admin.get(page)).isEqualTo(200));
				}
				taskSql.time(() -> tasks.page(TaskQueries.View.MINE, me, 0, 50));
				callSql.time(() -> calls.latest(false, me.scope(), 0, 50));
			}
			StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
					"Patients: %d; 2,000 open tasks of the admin's branch, 100,000 calls; generated in %d ms.%n"
							+ "Page sizes: /tasks %d KB, /telephony/calls %d KB.%n%n",
					patients, generated, admin.body("/tasks").length() / 1024,
					admin.body("/telephony/calls").length() / 1024));
			report.append(Latencies.header()).append("\n").append(statics.row()).append("\n");
			http.forEach(latencies -> report.append(latencies.row()).append("\n"));
			report.append(taskSql.row()).append("\n").append(callSql.row()).append("\n\n");
			double worst = http.stream().mapToDouble(latencies -> latencies.percentile(95)).max().orElseThrow();
			report.append(String.format(Locale.ROOT, "Worst page p95 %.1f ms, %.1f× the static file's p95.%n", worst,
					worst / statics.percentile(95)));
			Path out = Path.of("target/bench/list-pages.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report.toString());
			System.out.println(report);
		}
	}

}
