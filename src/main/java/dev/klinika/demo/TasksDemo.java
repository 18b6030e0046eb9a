package dev.klinika.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.tasks.RuleTriggers;

/**
 * The demo clinic's tasks: its year of visits passes through the automation rules in the
 * background after the first start (a year takes under a minute; the app is usable
 * meanwhile), then the staff's past work is played: tasks due more than two days ago are
 * done, most with a booking, some unanswered. What is left open is today's work. A start
 * stopped before it finished does it again at the next start (replaying is idempotent:
 * what fired before fires nothing).
 */
@Component
class TasksDemo {

	private static final Logger log = LoggerFactory.getLogger(TasksDemo.class);

	private final RuleTriggers automation;

	private final dev.klinika.tasks.TaskHistory history;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final boolean enabled;

	TasksDemo(RuleTriggers automation, dev.klinika.tasks.TaskHistory history, JdbcClient jdbc, Clock clock,
			@Value("${klinika.demo.task-history:true}") boolean enabled) {
		this.automation = automation;
		this.history = history;
		this.jdbc = jdbc;
		this.clock = clock;
		this.enabled = enabled;
	}

	static final String STEP = "task-history";

	void startInBackground() {
		if (!this.enabled) {
			return;
		}
		Thread thread = new Thread(this::generate, "demo-tasks");
		thread.setDaemon(true);
		thread.start();
	}

	/** Whether the history was played to its end on this database. */
	boolean finished() {
		return this.jdbc.sql("select count(*) from demo_progress where step = :step")
			.param("step", STEP)
			.query(Integer.class)
			.single() > 0;
	}

	/** Plays the history again after a start that was stopped before it finished. */
	void resumeIfUnfinished() {
		if (this.enabled && !finished()) {
			log.info("Demo tasks: the last start stopped before the task history was finished; playing it again");
			startInBackground();
		}
	}

	void generate() {
		try {
			Instant now = this.clock.instant();
			RuleTriggers.Replay replay = this.automation.replay(now.minus(Duration.ofDays(3650)), now);
			// Past work was done (see TaskHistory).
			int closed = this.history.closePast(now);
			this.jdbc.sql("insert into demo_progress (step) values (:step) on conflict do nothing")
				.param("step", STEP)
				.update();
			log.info("Demo tasks: {} visits through the rules in {} s, {} firings; {} past tasks closed as done",
					replay.visits(), replay.took().toSeconds(), replay.firings(), closed);
		}
		catch (RuntimeException ex) {
			log.warn("Demo tasks were not generated: {}", ex.getMessage());
		}
	}

}
