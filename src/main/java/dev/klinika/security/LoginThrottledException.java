package dev.klinika.security;

import java.io.Serial;
import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/** Raised instead of checking a password while its login or address must wait. */
class LoginThrottledException extends AuthenticationException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final Duration wait;

	LoginThrottledException(Duration wait) {
		super("Too many failed logins; retry in " + wait.toSeconds() + " s");
		this.wait = wait;
	}

	Duration getWait() {
		return this.wait;
	}

}
