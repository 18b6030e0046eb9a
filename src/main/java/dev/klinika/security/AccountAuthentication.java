package dev.klinika.security;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks a login's password unless the login or the address must wait after repeated
 * failures; a wrong password counts towards that wait.
 */
class AccountAuthentication implements AuthenticationProvider {

	private final DaoAuthenticationProvider passwords;

	private final LoginThrottle throttle;

	private final AuditLog audit;

	AccountAuthentication(UserDetailsService accounts, PasswordEncoder encoder, LoginThrottle throttle,
			AuditLog audit) {
		this.passwords = new DaoAuthenticationProvider(accounts);
		this.passwords.setPasswordEncoder(encoder);
		this.throttle = throttle;
		this.audit = audit;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String username = String.valueOf(authentication.getName());
		String address = address(authentication);
		Duration wait = this.throttle.waitBefore(username, address).orElse(null);
		if (wait != null) {
			// Someone keeps trying while the login waits: the owner should see it.
			this.audit.record("anonymous", address, "LOGIN_DURING_LOCK", "user",
					username.length() > 100 ? username.substring(0, 100) : username, "wait " + wait.toSeconds() + " s");
			throw new LoginThrottledException(wait);
		}
		try {
			Authentication result = this.passwords.authenticate(authentication);
			this.throttle.succeeded(username);
			if (!scrape()) {
				this.audit.record(result.getName(), address, "LOGIN", "user", result.getName(), null);
			}
			return result;
		}
		catch (BadCredentialsException | UsernameNotFoundException ex) {
			this.throttle.failed(username, address);
			throw ex;
		}
	}

	/**
	 * A metrics scraper signs in with HTTP Basic on every request (every 15 s): that is
	 * no person logging in, and would bury the real logins in the audit log.
	 */
	private static boolean scrape() {
		return CurrentUser.request().map(request -> request.getRequestURI().startsWith("/actuator")).orElse(false);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	private static @Nullable String address(Authentication authentication) {
		return authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress()
				: null;
	}

}
