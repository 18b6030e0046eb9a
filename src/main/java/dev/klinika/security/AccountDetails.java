package dev.klinika.security;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Loads a login with its roles and branches for Spring Security. */
@Component
class AccountDetails implements UserDetailsService {

	private final UserAccounts accounts;

	AccountDetails(UserAccounts accounts) {
		this.accounts = accounts;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		return this.accounts.findByUsername(username.trim())
			.map(UserAccount::toPrincipal)
			.orElseThrow(() -> new UsernameNotFoundException("No login " + username));
	}

}
