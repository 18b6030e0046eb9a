package dev.klinika.tasks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.security.BranchScope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The measured outcome over the demo base: after its history passes through the rules,
 * every repeating service without a later booking has a recall and every no-show a task;
 * the patients who still fell through become a call-out list, and then nobody has.
 */
@KlinikaTest
class OutcomeTests {

	@Autowired
	Automation automation;

	@Autowired
	Outcome outcome;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Test
	void afterTheRulesNobodyIsLostAndTheRestBecomesACallOutList() throws Exception {
		Instant started = Instant.now();
		Automation.Replay replay = this.automation.replay(Instant.now().minus(3 * 365, ChronoUnit.DAYS), Instant.now());
		assertThat(replay.visits()).isPositive();
		Outcome.Figures figures = this.outcome.figures(BranchScope.everything());
		assertThat(figures.repeating()).isPositive();
		assertThat(figures.repeatingShare()).isEqualTo(100);
		assertThat(figures.noShows()).isPositive();
		assertThat(figures.noShowShare()).isEqualTo(100);

		// Staff did the work: the replayed tasks are done (some patients will not come
		// back, though).
		this.jdbc.sql("""
				update task set status = 'DONE', outcome = 'test', closed_at = now(), closed_by = 'test'
				 where created_at >= :started and status = 'OPEN' and cause_type = 'appointment'
				""").param("started", Tasks.utc(started)).update();
		int lost = this.outcome.fellThrough(BranchScope.everything(), Integer.MAX_VALUE).size();
		assertThat(lost).isPositive();
		this.mvc.perform(get("/").with(this.logins.as("manager")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("id=\"fell-through\"")));
		this.mvc.perform(get("/tasks/outcome").with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("100 %")));
		this.mvc.perform(get("/tasks/outcome").with(this.logins.as("admin"))).andExpect(status().isForbidden());
		this.mvc
			.perform(post("/tasks/outcome/call-out").with(this.logins.as("manager"))
				.with(csrf())
				.param("title", "Пригласить на приём"))
			.andExpect(flash().attribute("flashKey", "flash.callOut"))
			.andExpect(flash().attribute("flashArg", lost));
		assertThat(this.outcome.fellThrough(BranchScope.everything(), Integer.MAX_VALUE)).isEmpty();
		// The call-out tasks belong to the admins of each patient's branch; tidy them for
		// the other tests.
		assertThat(this.jdbc.sql("select count(distinct owner_role) from task where cause_type = 'call_out'")
			.query(Integer.class)
			.single()).isEqualTo(1);
		this.jdbc
			.sql("update task set status = 'DONE', outcome = 'test', closed_at = now() where cause_type = 'call_out'")
			.update();
	}

}
