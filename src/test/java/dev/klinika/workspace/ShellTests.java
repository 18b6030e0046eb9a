package dev.klinika.workspace;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The layout, home pages per role, languages, error pages, headers and the health
 * endpoint.
 */
@KlinikaTest
class ShellTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Test
	void greetsEachRoleWithItsOwnHomePage() throws Exception {
		this.mvc.perform(get("/").with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Здравствуйте, Анна Игоревна Лебедева!")))
			.andExpect(content().string(containsString("Сегодня на ресепшене")))
			.andExpect(content().string(not(containsString("/security/users"))));
		this.mvc.perform(get("/").with(this.logins.as("owner")))
			.andExpect(content().string(containsString("Сегодня по филиалам")))
			.andExpect(content().string(containsString("/security/audit")));
	}

	@Test
	void switchesToEnglishAndRemembersIt() throws Exception {
		var cookie = this.mvc.perform(get("/").param("lang", "en").with(this.logins.as("doctor")))
			.andExpect(content().string(containsString("Hello,")))
			.andReturn()
			.getResponse()
			.getCookie("klinika-lang");
		this.mvc.perform(get("/catalog/services").cookie(cookie).with(this.logins.as("doctor")))
			.andExpect(content().string(containsString("Services")));
		this.mvc.perform(get("/").param("lang", "xx").with(this.logins.as("doctor")))
			.andExpect(content().string(containsString("Здравствуйте")));
	}

	@Test
	void answersUnknownUrlsWithAPageInTheLayout() throws Exception {
		this.mvc.perform(get("/no/such/page").with(this.logins.as("admin"))).andExpect(status().isNotFound());
		this.mvc.perform(get("/organization/branches/not-a-number").with(this.logins.as("admin")))
			.andExpect(status().isNotFound())
			.andExpect(content().string(containsString("Страница не найдена")))
			.andExpect(content().string(not(containsString("Exception"))));
	}

	@Test
	void sendsSecureHeaders() throws Exception {
		this.mvc.perform(get("/login"))
			.andExpect(header().string("Content-Security-Policy", containsString("default-src 'self'")))
			.andExpect(header().string("X-Frame-Options", "DENY"))
			.andExpect(header().string("X-Content-Type-Options", "nosniff"));
	}

	@Test
	void answersHealthWithoutLoginAndWithoutDetails() throws Exception {
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.components").doesNotExist());
		this.mvc.perform(get("/actuator/health").with(this.logins.as("owner")))
			.andExpect(jsonPath("$.components.db.status").value("UP"));
	}

	@Test
	void servesHtmxFromWebJars() throws Exception {
		this.mvc.perform(get("/webjars/htmx.org/dist/htmx.min.js")).andExpect(status().isOk());
		this.mvc.perform(get("/webjars/chart.js/dist/chart.umd.js")).andExpect(status().isOk());
	}

	@Test
	void answersTheErrorPathAskedForDirectlyAsNotFound() throws Exception {
		this.mvc.perform(get("/error")).andExpect(status().isNotFound());
		this.mvc.perform(get("/error").accept("application/json")).andExpect(status().isNotFound());
	}

}
