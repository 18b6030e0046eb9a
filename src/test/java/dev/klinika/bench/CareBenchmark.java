package dev.klinika.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.care.CareBench;
import dev.klinika.security.BranchScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consultant's list, the care report and the stall watch on 1,000,000 generated
 * patients with {@code klinika.bench.pathways} (default 500,000) pathways over three
 * years, with their lines and steps. Run with {@code ./mvnw -Pbench verify
 * -Dtest=CareBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class CareBenchmark {

	static final int PATIENTS = Integer.getInteger("klinika.bench.patients", 1_000_000);

	static final int PATHWAYS = Integer.getInteger("klinika.bench.pathways", 500_000);

	static final int RUNS = Integer.getInteger("klinika.bench.runs", 100);

	@Test
	void measuresTheListTheReportAndTheStallWatch() throws Exception {
		try (ConfigurableApplicationContext context = GeneratedPatients.smallDemo("klinika_care_bench")) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			long branch = GeneratedPatients.adminBranch(jdbc);
			long started = System.nanoTime();
			GeneratedPatients.insert(jdbc, branch, PATIENTS);
			long patientsMs = (System.nanoTime() - started) / 1_000_000;
			started = System.nanoTime();
			generate(jdbc);
			long pathwaysMs = (System.nanoTime() - started) / 1_000_000;
			CareBench care = context.getBean(CareBench.class);
			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			LoggedIn manager = LoggedIn.as(base, "manager");
			long consultant = jdbc.sql("""
					select consultant_id from care_pathway where consultant_id is not null
					 group by 1 order by count(*) desc limit 1
					""").query(Long.class).single();
			BranchScope all = BranchScope.everything();
			BranchScope one = BranchScope.of(java.util.Set.of(branch));
			ZoneId zone = ZoneId.of("Europe/Moscow");
			LocalDate today = LocalDate.now(zone);

			// The stall watch first: one run stalls what is due, a second finds nothing.
			long stalledBefore = jdbc.sql("select count(*) from care_step where kind = 'STALLED'")
				.query(Long.class)
				.single();
			long t0 = System.nanoTime();
			int firstRun = care.stalls();
			long firstMs = (System.nanoTime() - t0) / 1_000_000;
			t0 = System.nanoTime();
			int secondRun = care.stalls();
			long secondMs = (System.nanoTime() - t0) / 1_000_000;
			// The first run abandoned tens of thousands of old stalled pathways at once;
			// autovacuum would see to their pages before long.
			jdbc.sql("vacuum analyze care_pathway").update();
			long stalledAfter = jdbc.sql("select count(*) from care_step where kind = 'STALLED'")
				.query(Long.class)
				.single();
			assertThat(firstRun).isPositive();
			assertThat(secondRun).isZero();
			assertThat(stalledAfter - stalledBefore).isEqualTo(firstRun);
			Latencies watch = new Latencies("the stall watch, a run with nothing due", 20);
			for (int i = 0; i < 20; i++) {
				watch.time(care::stalls);
			}

			Latencies sql = new Latencies("baseline: `select 1` round trip", RUNS);
			Latencies statics = new Latencies("baseline: GET /favicon.svg, same client", RUNS);
			Latencies listMine = new Latencies("SQL: a consultant's open pathways, page 1, with counts", RUNS);
			Latencies listAll = new Latencies("SQL: every branch's open pathways, page 1, with counts", RUNS);
			Latencies listStalled = new Latencies("SQL: stalled ones, one branch, page 1", RUNS);
			Latencies reportBranch = new Latencies("SQL: report by branch, 90 days, all branches", RUNS);
			Latencies reportDoctor = new Latencies("SQL: report by doctor, 90 days, one branch", RUNS);
			Latencies reportYear = new Latencies("SQL: report by category, a year, all branches", RUNS);
			Latencies pageList = new Latencies("GET /care/pathways?who=<consultant>", RUNS);
			Latencies pageAll = new Latencies("GET /care/pathways?who=all", RUNS);
			Latencies pageReport = new Latencies("GET /care/report (90 days, by branch)", RUNS);
			for (int warmup = 0; warmup < 10; warmup++) {
				care.list(null, consultant, all);
				care.report(today.minusDays(89), today, zone, "BRANCH", all);
				manager.get("/care/report");
			}
			int rows = 0;
			for (int i = 0; i < RUNS; i++) {
				sql.time(() -> jdbc.sql("select 1").query(Integer.class).single());
				statics.time(() -> manager.get("/favicon.svg"));
				int[] shown = new int[1];
				listMine.time(() -> shown[0] = care.list(null, consultant, all));
				rows += shown[0];
				listAll.time(() -> care.list(null, null, all));
				listStalled.time(() -> care.list("STALLED", null, one));
				reportBranch.time(() -> care.report(today.minusDays(89), today, zone, "BRANCH", all));
				reportDoctor.time(() -> care.report(today.minusDays(89), today, zone, "DOCTOR", one));
				reportYear.time(() -> care.report(today.minusDays(364), today, zone, "CATEGORY", all));
				pageList.time(() -> assertThat(manager.get("/care/pathways?who=" + consultant)).isEqualTo(200));
				pageAll.time(() -> assertThat(manager.get("/care/pathways?who=all")).isEqualTo(200));
				pageReport.time(() -> assertThat(manager.get("/care/report")).isEqualTo(200));
			}
			assertThat(rows / RUNS).isEqualTo(50);
			long pathways = jdbc.sql("select count(*) from care_pathway").query(Long.class).single();
			long steps = jdbc.sql("select count(*) from care_step").query(Long.class).single();
			String out = "Care: " + PATIENTS + " generated patients in " + patientsMs + " ms; " + pathways
					+ " pathways with " + steps + " steps in " + pathwaysMs + " ms\n\n"
					+ "Stall watch: the first run stalled " + firstRun + " in " + firstMs + " ms; the second stalled "
					+ secondRun + " in " + secondMs + " ms\n\n" + Latencies.header() + "\n"
					+ String.join("\n",
							List.of(sql.row(), statics.row(), listMine.row(), listAll.row(), listStalled.row(),
									reportBranch.row(), reportDoctor.row(), reportYear.row(), pageList.row(),
									pageAll.row(), pageReport.row(), watch.row()))
					+ "\n";
			Path file = Path.of("target/bench/care.md");
			Files.createDirectories(file.getParent());
			Files.writeString(file, out);
			System.out.println(out);
		}
	}

	/**
	 * Pathways on every other generated card, over three years: a tenth proposed, a fifth
	 * declined, a quarter completed, a sixth abandoned, a tenth stalled, the rest
	 * accepted or running, prescribed by the demo's staff, each with a consultant and one
	 * or two lines; the open ones waited up to six days, one in 251 of them eight (due to
	 * stall).
	 */
	private static void generate(JdbcClient jdbc) {
		// The visit each was prescribed at: completed, over the same three years, one
		// every 189 seconds, the staff in turn (never two of one at once).
		jdbc.sql(
				"""
						insert into appointment (branch_id, staff_id, patient_id, service_id, during, status, created_by)
						select b.ids[1 + g % array_length(b.ids, 1)], st.ids[1 + g % array_length(st.ids, 1)], p.first + (g - 1) * 2,
						       sv.ids[1 + g % array_length(sv.ids, 1)],
						       tstzrange(t.at - interval '40 minutes', t.at - interval '20 minutes', '[)'), 'COMPLETED', 'bench-care'
						  from generate_series(1, :n) g
						  cross join (select min(id) as first from patient where created_by = 'bench') p
						  cross join (select array_agg(id order by id) ids from branch) b
						  cross join (select array_agg(id order by id) ids from organization_staff_v where active) st
						  cross join (select array_agg(id order by id) ids from catalog_service_v where active) sv
						  cross join lateral (select now() - (g::bigint * 94608000 / :n) * interval '1 second' as at) t
						""")
			.param("n", PATHWAYS)
			.update();
		jdbc.sql(
				"""
						insert into care_pathway (patient_id, branch_id, appointment_id, prescribed_by, status, created_by,
						                          created_at, consultant_id, category_id, estimate, accepted_at, started_at,
						                          ended_at, stalled_at, stalls, status_changed_at)
						select a.patient_id, a.branch_id, a.id, a.staff_id, s.status, 'bench', t.at,
						       st.ids[1 + (g * 13) % least(20, array_length(st.ids, 1))], c.ids[1 + g % array_length(c.ids, 1)],
						       1500 * (1 + g % 20),
						       case when s.status not in ('PROPOSED', 'DECLINED') then t.at + interval '1 day' end,
						       case when s.status in ('IN_PROGRESS', 'COMPLETED', 'STALLED') or (s.status = 'ABANDONED' and g % 2 = 0)
						            then t.at + interval '3 days' end,
						       case when s.status in ('COMPLETED', 'ABANDONED') then least(now(), t.at + interval '60 days') end,
						       case when s.status in ('STALLED', 'ABANDONED') then least(now(), t.at + interval '20 days') end,
						       case when s.status in ('STALLED', 'ABANDONED') then 1 else 0 end, t.at
						  from (select a.*, row_number() over (order by a.id) as g from appointment a
						         where a.created_by = 'bench-care') a
						  cross join (select array_agg(id order by id) ids from organization_staff_v where active) st
						  cross join (select array_agg(id order by id) ids from catalog_category_v) c
						  cross join lateral (select (array['PROPOSED', 'PROPOSED', 'DECLINED', 'DECLINED', 'DECLINED', 'DECLINED',
						         'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'ABANDONED', 'ABANDONED',
						         'ABANDONED', 'STALLED', 'STALLED', 'ACCEPTED', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS'])[1 + g % 20]
						         as status) s
						  cross join lateral (select case when s.status in ('ACCEPTED', 'IN_PROGRESS')
						         then now() - case when g % 251 = 0 then interval '8 days' else (g % 144) * interval '1 hour' end
						         else upper(a.during) end as at) t
						""")
			.update();
		jdbc.sql("""
				insert into care_item (pathway_id, position, service_id, sessions, per_week, stage, unit_price)
				select p.id, 1, s.ids[1 + p.id % array_length(s.ids, 1)], 10, 2, 1, 1500 from care_pathway p
				 cross join (select array_agg(id order by id) ids from catalog_service_v where active) s
				 where p.created_by = 'bench'
				union all
				select p.id, 2, s.ids[1 + (p.id * 3) % array_length(s.ids, 1)], 5, 1, 1, 1500 from care_pathway p
				 cross join (select array_agg(id order by id) ids from catalog_service_v where active) s
				 where p.created_by = 'bench' and p.id % 3 = 0
				""").update();
		jdbc.sql(
				"""
						insert into care_step (pathway_id, kind, at, actor, staff_id)
						select id, 'PRESCRIBED', created_at, 'bench', prescribed_by from care_pathway where created_by = 'bench'
						union all
						select id, 'ACCEPTED', accepted_at, 'bench', null from care_pathway where accepted_at is not null and created_by = 'bench'
						union all
						select id, 'DECLINED', created_at + interval '1 day', 'bench', null from care_pathway
						 where status = 'DECLINED' and created_by = 'bench'
						union all
						select p.id, 'ATTENDED', p.started_at + k * interval '3 days', 'system', p.prescribed_by from care_pathway p
						 cross join generate_series(0, 3) k where p.started_at is not null and p.created_by = 'bench'
						union all
						select id, 'STALLED', stalled_at, 'system', null from care_pathway where stalled_at is not null and created_by = 'bench'
						union all
						select id, status, ended_at, 'system', null from care_pathway
						 where status in ('COMPLETED', 'ABANDONED') and created_by = 'bench'
						""")
			.update();
		// Where the abandoned ones stopped, now that their steps are there (the trigger
		// takes it again when it is cleared).
		jdbc.sql("update care_pathway set stop = null where status = 'ABANDONED'").update();
		jdbc.sql("vacuum analyze appointment").update();
		jdbc.sql("vacuum analyze care_pathway").update();
		jdbc.sql("vacuum analyze care_item").update();
		jdbc.sql("vacuum analyze care_step").update();
		jdbc.sql("vacuum analyze care_report_count").update();
		jdbc.sql("vacuum analyze care_month_count").update();
	}

}
