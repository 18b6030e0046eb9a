package dev.klinika.tasks;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's task history is done again at the next start when a start was stopped before
 * it finished: it is marked finished only at its end, and its replay fires nothing twice.
 */
@KlinikaTest
class DemoTaskHistoryTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RuleTriggers automation;

	@Test
	void aReplayCutShortAndPlayedAgainFiresNothingTwice() {
		java.time.Instant now = java.time.Instant.now();
		long lastTask = this.jdbc.sql("select coalesce(max(id), 0) from task").query(Long.class).single();
		long lastFiring = this.jdbc.sql("select coalesce(max(id), 0) from rule_firing").query(Long.class).single();
		try {
			replayTwice(now);
		}
		finally {
			// The shared database goes back to what the other tests expect.
			// One statement: a rule the scheduler fires meanwhile may have given a new
			// task a firing numbered before this test's.
			this.jdbc.sql("""
					with firings as (delete from rule_firing where id > :firing or task_id > :task)
					delete from task where id > :task
					""").param("firing", lastFiring).param("task", lastTask).update();
		}
	}

	private void replayTwice(java.time.Instant now) {
		// The last week, as a first start would have played them before it was
		// stopped; then the whole history again at the next start.
		this.automation.replay(now.minus(java.time.Duration.ofDays(7)), now);
		// The visits' firings only: the scheduler's stall watch may fire meanwhile.
		String firings = "select rule_id, cause_key, count(*) from rule_firing where cause_key like 'appointment:%'"
				+ " group by 1, 2 order by 1, 2";
		String visitTasks = "select count(*) from task t join rule_firing f on f.task_id = t.id"
				+ " where f.cause_key like 'appointment:%'";
		var before = this.jdbc.sql(firings).query().listOfRows();
		int tasks = this.jdbc.sql(visitTasks).query(Integer.class).single();
		assertThat(before).as("a week of demo visits fires rules").isNotEmpty();
		var again = this.automation.replay(now.minus(java.time.Duration.ofDays(7)), now);
		assertThat(again.firings()).isZero();
		assertThat(this.jdbc.sql(firings).query().listOfRows()).isEqualTo(before);
		assertThat(this.jdbc.sql(visitTasks).query(Integer.class).single()).isEqualTo(tasks);
		assertThat(before).allSatisfy(row -> assertThat(((Number) row.get("count")).intValue()).isEqualTo(1));
	}

}
