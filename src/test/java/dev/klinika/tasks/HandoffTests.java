package dev.klinika.tasks;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A doctor hands a patient to the consultant; the consultant gets the task, the doctor
 * sees it among those given and sees when it is done.
 */
@KlinikaTest
class HandoffTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Logins logins;

	@Test
	void theBoardShowsTheBranchsTasksByStatusAndTakesOneIntoWork() throws Exception {
		// Due before any other, so that it is among a column's first cards at any hour of
		// the day however many tasks came due before it.
		long branch = this.logins.branchOf("admin");
		long id = this.jdbc
			.sql("""
					insert into task (title, kind, branch_id, owner_role, due_at, created_by)
					values ('Проверить анкету', 'CUSTOM', :branch, 'ADMIN', timestamptz '2001-01-01 09:00+03', 'test') returning id
					""")
			.param("branch", branch)
			.query(Long.class)
			.single();
		this.mvc.perform(get("/tasks/board").with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("data-status=\"IN_PROGRESS\"")))
			.andExpect(content().string(containsString("data-task=\"" + id + "\"")));
		this.mvc
			.perform(post("/tasks/" + id + "/start").with(this.logins.as("admin"))
				.with(csrf())
				.param("version", "0")
				.param("back", "board"))
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl("/tasks/board"));
		org.assertj.core.api.Assertions.assertThat(
				this.jdbc.sql("select status from task where id = :id").param("id", id).query(String.class).single())
			.isEqualTo("IN_PROGRESS");
		this.mvc.perform(post("/tasks/" + id + "/done").with(this.logins.as("admin"))
			.with(csrf())
			.param("version", "1")
			.param("outcome", "Проверено"));
	}

	@Test
	void aTaskOnTheBranchListOpensForEveryoneButOnlyItsOwnersActOnIt() throws Exception {
		long branch = this.logins.branchOf("doctor");
		long id = this.jdbc
			.sql("""
					insert into task (title, kind, branch_id, owner_role, due_at, created_by)
					values ('Перезвонить по анализам', 'CUSTOM', :branch, 'ADMIN', now() + interval '1 hour', 'test') returning id
					""")
			.param("branch", branch)
			.query(Long.class)
			.single();
		// It was a 404 for the doctor although the branch list showed it.
		this.mvc.perform(get("/tasks/" + id).with(this.logins.as("doctor")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"not-yours\"")))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("id=\"done\""))));
		this.mvc
			.perform(post("/tasks/" + id + "/done").with(this.logins.as("doctor"))
				.with(csrf())
				.param("version", "0")
				.param("outcome", "Сделал не я"))
			.andExpect(status().isNotFound());
		org.assertj.core.api.Assertions.assertThat(
				this.jdbc.sql("select status from task where id = :id").param("id", id).query(String.class).single())
			.isEqualTo("OPEN");
		// A supervisor acts on it.
		this.mvc.perform(get("/tasks/" + id).with(this.logins.as("owner")))
			.andExpect(content().string(containsString("id=\"done\"")));
	}

	@Test
	void aDoctorHandsAPatientToTheConsultantAndSeesItDone() throws Exception {
		long branch = this.logins.branchOf("doctor");
		long consultant = this.jdbc.sql("select id from app_user where username = 'consultant'")
			.query(Long.class)
			.single();
		long patient = this.jdbc.sql("""
				select min(id) from patient where home_branch_id = :branch and merged_into is null and erased_at is null
				""").param("branch", branch).query(Long.class).single();
		String comment = "Подобрать курс ЛФК после операции " + System.nanoTime();
		this.mvc
			.perform(post("/tasks/handoff").with(this.logins.as("doctor"))
				.with(csrf())
				.param("patient", String.valueOf(patient))
				.param("branch", String.valueOf(branch))
				.param("owner", "user:" + consultant)
				.param("comment", ""))
			.andExpect(flash().attribute("flashErrorKey", "task.refused.COMMENT"));
		this.mvc
			.perform(post("/tasks/handoff").with(this.logins.as("doctor"))
				.with(csrf())
				.param("patient", String.valueOf(patient))
				.param("branch", String.valueOf(branch))
				.param("owner", "user:" + consultant)
				.param("comment", comment))
			.andExpect(flash().attribute("flashKey", "flash.task.handedOff"));
		long task = this.jdbc.sql("select id from task where note = :note")
			.param("note", comment)
			.query(Long.class)
			.single();
		this.mvc.perform(get("/tasks").with(this.logins.as("consultant")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("/tasks/" + task + "\"")));
		this.mvc.perform(get("/tasks").param("view", "SENT").with(this.logins.as("doctor")))
			.andExpect(content().string(containsString("/tasks/" + task + "\"")));
		// Someone who is neither the owner, nor of its role, nor a supervisor there does
		// not see it.
		this.mvc.perform(get("/tasks/" + task).with(this.logins.as("marketer"))).andExpect(status().isForbidden());
		this.mvc
			.perform(post("/tasks/" + task + "/done").with(this.logins.as("consultant"))
				.with(csrf())
				.param("version", "0")
				.param("outcome", "Записан на курс из 10 занятий"))
			.andExpect(flash().attribute("flashKey", "flash.saved"));
		this.mvc.perform(get("/tasks").param("view", "SENT").with(this.logins.as("doctor")))
			.andExpect(content().string(containsString("Записан на курс из 10 занятий")));
		this.mvc.perform(get("/tasks").with(this.logins.as("consultant")))
			.andExpect(content().string(not(containsString("/tasks/" + task + "\""))));
	}

}
