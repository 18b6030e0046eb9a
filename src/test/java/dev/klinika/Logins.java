package dev.klinika;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.stereotype.Component;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * Acts as one of the demo logins in MockMvc requests, with its real roles and branches.
 */
@Component
public class Logins {

	private final UserDetailsService accounts;

	private final JdbcClient jdbc;

	Logins(UserDetailsService accounts, JdbcClient jdbc) {
		this.accounts = accounts;
		this.jdbc = jdbc;
	}

	public RequestPostProcessor as(String username) {
		return user(this.accounts.loadUserByUsername(username));
	}

	/**
	 * The one branch of a single-branch demo login ("admin" works in "Движение на
	 * Тверской").
	 */
	public long branchOf(String username) {
		return this.jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = :u
				""").param("u", username).query(Long.class).single();
	}

}
