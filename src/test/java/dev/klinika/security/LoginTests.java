package dev.klinika.security;

import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.klinika.KlinikaTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Form login with brute-force protection; each test comes from its own address and login.
 */
@KlinikaTest
class LoginTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	UserManagement users;

	@Autowired
	JdbcClient jdbc;

	@Test
	void logsInWithTheDemoPassword() throws Exception {
		this.mvc.perform(login("admin", "klinika", "10.0.0.1"))
			.andExpect(authenticated().withUsername("admin"))
			.andExpect(redirectedUrl("/"));
	}

	@Test
	void refusesAWrongPasswordWithAPlainReason() throws Exception {
		String login = newLogin();
		this.mvc.perform(login(login, "wrong-password", "10.0.0.2"))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?error=credentials"));
		this.mvc.perform(get("/login").param("error", "credentials"))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Неверный логин или пароль")));
	}

	@Test
	void slowsDownThenLocksAfterRepeatedWrongPasswords() throws Exception {
		String login = newLogin();
		for (int attempt = 1; attempt <= 2; attempt++) {
			this.mvc.perform(login(login, "bad" + attempt, "10.0.1." + attempt))
				.andExpect(redirectedUrl("/login?error=credentials"));
		}
		// The third failure earns a wait: even the right password is not checked during
		// it.
		this.mvc.perform(login(login, "bad3", "10.0.1.3")).andExpect(redirectedUrl("/login?error=credentials"));
		String redirect = this.mvc.perform(login(login, "correct-horse", "10.0.1.4"))
			.andExpect(unauthenticated())
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		assertThat(redirect).startsWith("/login?error=locked&wait=");
		this.mvc.perform(get("/login").param("error", "locked").param("wait", "5"))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Повторите через 5 с")));
		this.mvc.perform(get("/login").param("error", "locked").param("wait", "900").param("lang", "en"))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("try again in 15 min")));
		assertThat(failedLoginsAudited(login)).isEqualTo(3);
	}

	@Test
	void locksForFifteenMinutesAtTenFailuresAndAuditsTheLock() throws Exception {
		String login = newLogin();
		// Ten failures straight into the counter, as if they came over some minutes.
		this.jdbc.sql("insert into login_attempt (key, failures, last_failure_at) values (:key, 9, now())")
			.param("key", "user:" + login)
			.update();
		this.mvc.perform(login(login, "bad", "10.0.2.1")).andExpect(redirectedUrl("/login?error=credentials"));
		String redirect = this.mvc.perform(login(login, "correct-horse", "10.0.2.2"))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		long wait = Long.parseLong(redirect.substring(redirect.indexOf("wait=") + 5));
		assertThat(wait).isBetween(14 * 60L, 15 * 60L);
		assertThat(this.jdbc.sql("select count(*) from audit_log where action = 'LOGIN_LOCKED' and record_id = :login")
			.param("login", login)
			.query(Long.class)
			.single()).isEqualTo(1);
		// The attempt made while the login waited is on record too, with its address.
		assertThat(this.jdbc.sql("select ip from audit_log where action = 'LOGIN_DURING_LOCK' and record_id = :login")
			.param("login", login)
			.query(String.class)
			.list()).containsExactly("10.0.2.2");
	}

	@Test
	void auditsNoLoginForAMetricsScrape() throws Exception {
		long before = this.jdbc.sql("select count(*) from audit_log where action = 'LOGIN' and actor = 'owner'")
			.query(Long.class)
			.single();
		for (int i = 0; i < 3; i++) {
			this.mvc
				.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/actuator/prometheus")
					.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
						.httpBasic("owner", "klinika")))
				.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isOk());
		}
		assertThat(this.jdbc.sql("select count(*) from audit_log where action = 'LOGIN' and actor = 'owner'")
			.query(Long.class)
			.single()).isEqualTo(before);
	}

	@Test
	void countsFailuresPerAddressAcrossLogins() throws Exception {
		String address = "10.0.3.1";
		// 15 failures from one address (3 free x 5) put the address itself on hold.
		for (int i = 0; i < 15; i++) {
			this.mvc.perform(login("nobody-" + i + "-" + UUID.randomUUID(), "x", address));
		}
		String redirect = this.mvc.perform(login("admin", "klinika", address))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		assertThat(redirect).startsWith("/login?error=locked");
		this.mvc.perform(login("admin", "klinika", "10.0.3.2")).andExpect(authenticated());
	}

	@Test
	void refusesADisabledLogin() throws Exception {
		String login = newLogin();
		long id = this.users.all()
			.stream()
			.filter(u -> u.getUsername().equals(login))
			.findFirst()
			.orElseThrow()
			.getId();
		this.users.setEnabled(id, false);
		this.mvc.perform(login(login, "correct-horse", "10.0.4.1")).andExpect(redirectedUrl("/login?error=disabled"));
	}

	@Test
	void refusesAForgedOrMissingCsrfToken() throws Exception {
		this.mvc.perform(post("/login").param("username", "admin").param("password", "klinika").with(from("10.0.5.1")))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(post("/login").param("username", "admin")
				.param("password", "klinika")
				.param("_csrf", "forged")
				.with(from("10.0.5.2")))
			.andExpect(status().isForbidden());
	}

	@Test
	void storesOnlyAHashOfThePassword() {
		String login = newLogin();
		String hash = this.jdbc.sql("select password_hash from app_user where username = :u")
			.param("u", login)
			.query(String.class)
			.single();
		assertThat(hash).startsWith("{bcrypt}$2").doesNotContain("correct-horse");
	}

	private String newLogin() {
		String login = "t" + UUID.randomUUID().toString().substring(0, 8);
		this.users.create(login, "correct-horse", "Test " + login, Set.of(Role.ADMIN), Set.of(), null);
		return login;
	}

	private long failedLoginsAudited(String login) {
		return this.jdbc.sql("select count(*) from audit_log where action = 'LOGIN_FAILED' and actor = :login")
			.param("login", login)
			.query(Long.class)
			.single();
	}

	private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder login(String username,
			String password, String address) {
		return post("/login").param("username", username).param("password", password).with(csrf()).with(from(address));
	}

	private static RequestPostProcessor from(String address) {
		return request -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

}
