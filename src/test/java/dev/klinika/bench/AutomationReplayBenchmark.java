package dev.klinika.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaApplication;
import dev.klinika.tasks.Automation;
import dev.klinika.tasks.RuleTriggers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays a year of the demo network's visits (3 branches) through the automation rules
 * and reports visits and rule evaluations per second. Target: a year in under a minute.
 */
@Tag("bench")
class AutomationReplayBenchmark {

	@Test
	void replaysAYearOfVisitsThroughTheRules() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(KlinikaApplication.class)
			.profiles("test")
			.run("--server.port=0", "--spring.jmx.enabled=false", "--klinika.embedded-db.database=klinika_rules_bench",
					"--klinika.demo.enabled=true", "--klinika.demo.appointments=50000")) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			jdbc.sql("analyze").update();
			Automation automation = context.getBean(Automation.class);
			RuleTriggers triggers = context.getBean(RuleTriggers.class);
			int rules = automation.rules(null).size();
			Instant now = Instant.now();
			// Baseline in the same run: one trivial query, the unit every visit costs
			// several of.
			long base = System.nanoTime();
			for (int i = 0; i < 2000; i++) {
				jdbc.sql("select 1").query(Integer.class).single();
			}
			double selectMs = (System.nanoTime() - base) / 1e6 / 2000;
			RuleTriggers.Replay first = triggers.replay(now.minus(Duration.ofDays(365)), now);
			RuleTriggers.Replay again = triggers.replay(now.minus(Duration.ofDays(365)), now);
			assertThat(first.visits()).isPositive();
			assertThat(again.firings()).isZero();
			long tasks = jdbc.sql("select count(*) from task").query(Long.class).single();
			// A call-out list of 5,000 patients split between the admins.
			dev.klinika.tasks.Tasks taskService = context.getBean(dev.klinika.tasks.Tasks.class);
			java.util.List<Long> patients = jdbc
				.sql("select id from patient where merged_into is null and erased_at is null order by id limit 5000")
				.query(Long.class)
				.list();
			java.util.List<Long> admins = jdbc
				.sql("select distinct u.id from app_user u join user_role r on r.user_id = u.id where r.role = 'ADMIN'")
				.query(Long.class)
				.list();
			jdbc.sql("update task set status = 'DONE', closed_at = now() where status = 'OPEN'").update();
			long callOutStarted = System.nanoTime();
			int made = taskService.callOut(patients, admins, null, "Пригласить на осмотр",
					now.plus(Duration.ofHours(4)));
			double callOutMs = (System.nanoTime() - callOutStarted) / 1e6;
			assertThat(made).isEqualTo(patients.size());
			String report = "Rules: " + rules + "; visits in the year (completed and no-shows): " + first.visits()
					+ "\n\n| run | visits | firings | seconds | visits/s |\n|---|---|---|---|---|\n"
					+ row("first replay", first) + row("second replay (all already fired)", again) + "\nTasks made: "
					+ tasks + "; baseline `select 1`: " + String.format("%.3f", selectMs) + " ms\n"
					+ "\nCall-out list of " + made + " patients split between " + admins.size() + " admins: "
					+ String.format("%.0f", callOutMs) + " ms\n";
			Path out = Path.of("target/bench/automation-replay.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report);
			System.out.println(report);
		}
	}

	private static String row(String name, RuleTriggers.Replay replay) {
		double seconds = replay.took().toMillis() / 1000.0;
		return "| " + name + " | " + replay.visits() + " | " + replay.firings() + " | " + String.format("%.1f", seconds)
				+ " | " + String.format("%.0f", replay.visits() / seconds) + " |\n";
	}

}
