package dev.klinika.security;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The audit log keeps every entry: the database refuses to change or delete one. */
@KlinikaTest
class AuditLogTests {

	@Autowired
	AuditLog audit;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Test
	void refusesToChangeOrDeleteEntries() {
		this.audit.record("tester", "127.0.0.9", "TEST_ENTRY", "test", 1, "kept");
		long id = this.jdbc.sql("select max(id) from audit_log where action = 'TEST_ENTRY'").query(Long.class).single();
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.sql("update audit_log set details = 'changed' where id = :id")
				.param("id", id)
				.update());
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.sql("delete from audit_log where id = :id").param("id", id).update());
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.sql("truncate audit_log").update());
		assertThat(this.jdbc.sql("select details from audit_log where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).isEqualTo("kept");
	}

	@Test
	void showsTheOwnerAFilteredLog() throws Exception {
		this.audit.record("filter-probe", "127.0.0.9", "TEST_FILTER", "test", 42, "<b>escaped</b>");
		this.mvc.perform(get("/security/audit").param("actor", "filter-probe").with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("TEST_FILTER")))
			.andExpect(content().string(containsString("&lt;b&gt;escaped&lt;/b&gt;")));
	}

	@Test
	void recordsDemoChangesWithTheirActor() {
		assertThat(this.jdbc.sql("select count(*) from audit_log where actor = 'demo' and action = 'SERVICE_CREATED'")
			.query(Long.class)
			.single()).isGreaterThanOrEqualTo(55);
	}

}
