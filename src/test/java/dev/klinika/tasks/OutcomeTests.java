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
	RuleTriggers automation;

	@Autowired
	Outcome outcome;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Test
	void aCallOutListFromATagOrALongAbsenceSplitsBetweenChosenAdmins() throws Exception {
		String tag = "обзвон" + (System.nanoTime() % 100000);
		java.util.List<Long> tagged = this.jdbc.sql("""
				select p.id from patient p where p.merged_into is null and p.erased_at is null
				   and not exists (select 1 from appointment a where a.patient_id = p.id and lower(a.during) > now())
				 order by p.id desc limit 7
				""").query(Long.class).list();
		tagged.forEach(id -> this.jdbc.sql("insert into patient_tag (patient_id, tag) values (:id, :tag)")
			.param("id", id)
			.param("tag", tag)
			.update());
		this.mvc.perform(get("/tasks/outcome").param("filter", "TAG").param("tag", tag).with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Найдено пациентов: 7")));
		java.util.List<Long> admins = this.jdbc.sql("""
				select u.id from app_user u where u.username in ('admin', 'senior') order by u.id
				""").query(Long.class).list();
		var callOut = post("/tasks/outcome/call-out").with(this.logins.as("manager"))
			.with(csrf())
			.param("filter", "TAG")
			.param("tag", tag)
			.param("title", "Пригласить на осмотр");
		for (long admin : admins) {
			callOut = callOut.param("owners", String.valueOf(admin));
		}
		this.mvc.perform(callOut).andExpect(flash().attribute("flashArg", 7));
		assertThat(this.jdbc.sql("""
				select count(distinct owner_user_id) from task where cause_type = 'call_out' and patient_id in (:ids)
				   and status = 'OPEN'
				""").param("ids", tagged).query(Integer.class).single()).isEqualTo(admins.size());
		// Patients with an open task are not called twice.
		this.mvc.perform(callOut).andExpect(flash().attribute("flashArg", 0));
		this.mvc.perform(
				get("/tasks/outcome").param("filter", "NO_VISIT").param("months", "0").with(this.logins.as("manager")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("от 1 до 60")));
		this.jdbc
			.sql("update task set status = 'DONE', outcome = 'test', closed_at = now() where cause_type = 'call_out'")
			.update();
	}

	@Test
	void afterTheRulesNobodyIsLostAndTheRestBecomesACallOutList() throws Exception {
		Instant started = Instant.now();
		RuleTriggers.Replay replay = this.automation.replay(Instant.now().minus(3 * 365, ChronoUnit.DAYS),
				Instant.now());
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
