package dev.klinika.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaTest;
import dev.klinika.tasks.RuleTriggers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's task history counts as done only once it has been played to its end, so a
 * start stopped in the middle of it plays it again at the next start.
 */
@KlinikaTest
class TasksDemoResumeTests {

	@Autowired
	RuleTriggers automation;

	@Autowired
	dev.klinika.tasks.TaskHistory history;

	@Autowired
	JdbcClient jdbc;

	@Test
	void theHistoryIsMarkedFinishedOnlyAtItsEnd() {
		// A clock before any demo visit: the replay has nothing to play and ends at once.
		TasksDemo demo = new TasksDemo(this.automation, this.history, this.jdbc,
				Clock.fixed(Instant.parse("1990-01-01T00:00:00Z"), ZoneOffset.UTC), true);
		try {
			assertThat(demo.finished()).as("the test profile never played it").isFalse();
			demo.generate();
			assertThat(demo.finished()).isTrue();
			// Played once more (a second node, a retry): still one mark.
			demo.generate();
			assertThat(this.jdbc.sql("select count(*) from demo_progress").query(Integer.class).single()).isEqualTo(1);
		}
		finally {
			this.jdbc.sql("delete from demo_progress").update();
		}
	}

}
