package dev.klinika.patients;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.Logins;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Creates cards through the screen, as the administrator of the first demo branch. Not a
 * bean: contexts without MockMvc (browser tests, extra nodes) scan this package too.
 */
class PatientFixtures {

	private final MockMvc mvc;

	private final Logins logins;

	private final JdbcClient jdbc;

	PatientFixtures(MockMvc mvc, Logins logins, JdbcClient jdbc) {
		this.mvc = mvc;
		this.logins = logins;
		this.jdbc = jdbc;
	}

	long create(String surname, String name, String phone) throws Exception {
		String location = this.mvc
			.perform(post("/patients").with(csrf())
				.with(this.logins.as("admin"))
				.param("surname", surname)
				.param("name", name)
				.param("phone1", phone)
				.param("confirmDuplicate", "true")
				.param("homeBranchId", String.valueOf(adminsBranch())))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
	}

	long adminsBranch() {
		return this.logins.branchOf("admin");
	}

}
