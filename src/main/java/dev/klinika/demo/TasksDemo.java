package dev.klinika.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.tasks.Automation;

/**
 * The demo clinic's tasks: its year of visits passes through the automation rules in the
 * background after the first start (a year takes under a minute; the app is usable
 * meanwhile), then the staff's past work is played: tasks due more than two days ago are
 * done, most with a booking, some unanswered. What is left open is today's work.
 */
@Component
class TasksDemo {

	private static final Logger log = LoggerFactory.getLogger(TasksDemo.class);

	private final Automation automation;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final boolean enabled;

	TasksDemo(Automation automation, JdbcClient jdbc, Clock clock,
			@Value("${klinika.demo.task-history:true}") boolean enabled) {
		this.automation = automation;
		this.jdbc = jdbc;
		this.clock = clock;
		this.enabled = enabled;
	}

	void startInBackground() {
		if (!this.enabled) {
			return;
		}
		Thread thread = new Thread(this::generate, "demo-tasks");
		thread.setDaemon(true);
		thread.start();
	}

	void generate() {
		try {
			Instant now = this.clock.instant();
			Automation.Replay replay = this.automation.replay(now.minus(Duration.ofDays(400)), now);
			int closed = this.jdbc
				.sql("""
						update task set status = 'DONE', closed_by = 'admin', closed_at = due_at + interval '40 minutes',
						       outcome = case when id % 10 < 7 then 'Дозвонились, записали' when id % 10 < 9
						                 then 'Дозвонились, пока не готов(а) записаться' else 'Не берёт трубку, написали в мессенджер' end
						 where status = 'OPEN' and due_at < :cutoff
						""")
				.param("cutoff",
						java.time.OffsetDateTime.ofInstant(now.minus(Duration.ofDays(2)), java.time.ZoneOffset.UTC))
				.update();
			log.info("Demo tasks: {} visits through the rules in {} s, {} firings; {} past tasks closed as done",
					replay.visits(), replay.took().toSeconds(), replay.firings(), closed);
		}
		catch (RuntimeException ex) {
			log.warn("Demo tasks were not generated: {}", ex.getMessage());
		}
	}

}
