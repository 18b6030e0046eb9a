package dev.klinika.workspace;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Authors read as people: who booked a visit or set a task is the colleague's full name,
 * the demo's and the system's own work "автоматически", never a login.
 */
@KlinikaTest
class PeopleNamesTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Logins logins;

	@Test
	void aVisitTheDemoBookedAndATaskAColleagueSetNameTheirAuthorsInWords() throws Exception {
		long branch = this.logins.branchOf("admin");
		long visit = this.jdbc.sql("""
				select id from appointment where branch_id = :branch and created_by = 'demo' order by id limit 1
				""").param("branch", branch).query(Long.class).single();
		String page = page("/scheduling/appointments/" + visit);
		assertThat(page).contains("· автоматически ·").doesNotContain("· demo ·");
		long task = this.jdbc.sql("""
				insert into task (title, kind, branch_id, owner_role, due_at, created_by, closed_by)
				values ('Проверить автора', 'CUSTOM', :branch, 'ADMIN', now() + interval '1 day', 'senior', null)
				returning id
				""").param("branch", branch).query(Long.class).single();
		String senior = this.jdbc.sql("select full_name from app_user where username = 'senior'")
			.query(String.class)
			.single();
		assertThat(page("/tasks/" + task)).contains("· " + senior).doesNotContain("· senior");
	}

	private String page(String path) throws Exception {
		return this.mvc.perform(get(path).with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

}
