package dev.klinika.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaApplication;
import dev.klinika.leads.LeadQueries;
import dev.klinika.leads.LeadReport;
import dev.klinika.leads.LeadSla;
import dev.klinika.security.BranchScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leads board, its search and the reception report on three years of a busy network's
 * leads ({@code klinika.bench.leads}, default 300,000, each with two stage changes), and
 * the answer-time watch that runs every minute. Run with
 * {@code ./mvnw -Pbench verify -Dtest=LeadBoardBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class LeadBoardBenchmark {

	static final int LEADS = Integer.getInteger("klinika.bench.leads", 300_000);

	static final int RUNS = Integer.getInteger("klinika.bench.runs", 100);

	@Test
	void measuresTheBoardTheSearchAndTheReportOnThreeYearsOfLeads() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(KlinikaApplication.class)
			.profiles("test")
			.run("--server.port=0", "--spring.jmx.enabled=false", "--klinika.embedded-db.database=klinika_leads_bench",
					"--klinika.demo.enabled=true", "--klinika.demo.patients=5000",
					"--klinika.demo.appointments=5000")) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			long started = System.nanoTime();
			jdbc.sql("""
					insert into lead (branch_id, channel, name, phone, interest, source_id, utm_source, stage, stage_at,
					                  created_at, sla_due_at, contacted_at, contacted_by, last_touch_at, booked_at)
					select b.ids[1 + g % array_length(b.ids, 1)],
					       (array['CALL', 'FORM', 'MESSAGE', 'MANUAL'])[1 + g % 4], 'Лид ' || g,
					       '+7917' || lpad(g::text, 7, '0'), 'Вопрос ' || (g % 50),
					       s.ids[1 + g % array_length(s.ids, 1)], case when g % 3 = 0 then 'yandex' end,
					       (array['NEW', 'IN_PROGRESS', 'BOOKED', 'CAME', 'CAME', 'COURSE_STARTED', 'COURSE_COMPLETED',
					              'CAME_BACK', 'LOST', 'LOST'])[1 + g % 10],
					       least(now(), t.at + interval '2 days'), t.at, t.at + interval '15 minutes',
					       t.at + (g % 40) * interval '1 minute', (array['admin', 'senior', 'manager'])[1 + g % 3],
					       t.at, case when g % 10 between 2 and 7 then t.at + interval '1 day' end
					  from generate_series(1, :n) g
					  cross join (select array_agg(id order by id) ids from branch) b
					  cross join (select array_agg(id order by id) ids from patient_source) s
					  cross join lateral (select now() - (g::bigint * 94608000 / :n) * interval '1 second' as at) t
					""").param("n", LEADS).update();
			jdbc.sql("""
					insert into lead_stage_log (lead_id, from_stage, to_stage, at, by_user, auto, seconds)
					select id, null, 'NEW', created_at, null, true, null from lead
					union all
					select id, 'NEW', stage, stage_at, contacted_by, false,
					       extract(epoch from stage_at - created_at)::bigint from lead where stage <> 'NEW'
					""").update();
			// As a live database would be: vacuumed (autovacuum would otherwise start in
			// the
			// middle of the measurements on two cores).
			jdbc.sql("vacuum analyze lead").update();
			jdbc.sql("vacuum analyze lead_stage_log").update();
			long generated = (System.nanoTime() - started) / 1_000_000;
			long leads = jdbc.sql("select count(*) from lead").query(Long.class).single();
			LeadQueries queries = context.getBean(LeadQueries.class);
			LeadReport report = context.getBean(LeadReport.class);
			LeadSla sla = context.getBean(LeadSla.class);
			BranchScope all = BranchScope.everything();
			long firstBranch = jdbc.sql("select min(id) from branch").query(Long.class).single();
			BranchScope one = BranchScope.of(java.util.Set.of(firstBranch));
			Latencies baseline = new Latencies("baseline: `select 1` round trip", RUNS);
			Latencies board = new Latencies("the board, every branch (8 columns of 60, counts)", RUNS);
			Latencies branch = new Latencies("the board, one branch", RUNS);
			Latencies text = new Latencies("the board searched by a name", RUNS);
			Latencies digits = new Latencies("the board searched by 4 digits of a number", RUNS);
			Latencies perSource = new Latencies("report per source, 30 days", RUNS);
			Latencies perAdmin = new Latencies("report per admin and day, 7 days (calls and leads)", RUNS);
			Latencies watch = new Latencies("the answer-time watch (escalate + not booked)", RUNS);
			for (int warmup = 0; warmup < 10; warmup++) {
				queries.board(all, LeadQueries.Filter.NONE);
			}
			int shown = 0;
			for (int i = 0; i < RUNS; i++) {
				int n = i;
				baseline.time(() -> jdbc.sql("select 1").query(Integer.class).single());
				int[] count = new int[1];
				board.time(() -> count[0] = queries.board(all, LeadQueries.Filter.NONE)
					.stream()
					.mapToInt(column -> column.leads().size())
					.sum());
				shown += count[0];
				branch.time(() -> queries.board(one, LeadQueries.Filter.NONE));
				text.time(() -> queries.board(all, new LeadQueries.Filter("Лид " + (1000 + n * 7), null, null)));
				digits
					.time(() -> queries.board(all, new LeadQueries.Filter(String.format("%04d", n * 37), null, null)));
				Instant now = Instant.now();
				perSource.time(() -> report.perSource(now.minus(Duration.ofDays(30)), now, all));
				perAdmin
					.time(() -> report.perAdmin(now.minus(Duration.ofDays(7)), now, ZoneId.of("Europe/Moscow"), all));
				watch.time(() -> {
					sla.escalate();
					sla.notBooked();
				});
			}
			assertThat(shown / RUNS).isGreaterThan(100);
			String out = "Leads: " + leads + " over three years (each with its stage changes); generating took "
					+ generated + " ms; cards on the board on average: " + shown / RUNS + "\n\n" + Latencies.header()
					+ "\n" + baseline.row() + "\n" + board.row() + "\n" + branch.row() + "\n" + text.row() + "\n"
					+ digits.row() + "\n" + perSource.row() + "\n" + perAdmin.row() + "\n" + watch.row() + "\n";
			Path file = Path.of("target/bench/leads.md");
			Files.createDirectories(file.getParent());
			Files.writeString(file, out);
			System.out.println(out);
		}
	}

}
