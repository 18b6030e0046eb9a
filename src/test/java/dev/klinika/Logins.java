package dev.klinika;

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

	Logins(UserDetailsService accounts) {
		this.accounts = accounts;
	}

	public RequestPostProcessor as(String username) {
		return user(this.accounts.loadUserByUsername(username));
	}

}
