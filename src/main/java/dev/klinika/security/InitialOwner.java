package dev.klinika.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On a first start without demo data, creates the one OWNER login so that someone can get
 * in. The password comes from {@code klinika.security.initial-owner-password}, or is
 * generated once and printed to the log, which is the only place it ever appears.
 */
@Component
@Order(100)
class InitialOwner implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(InitialOwner.class);

	private final UserManagement users;

	private final String username;

	private final String configuredPassword;

	InitialOwner(UserManagement users, @Value("${klinika.security.initial-owner:owner}") String username,
			@Value("${klinika.security.initial-owner-password:}") String configuredPassword) {
		this.users = users;
		this.username = username;
		this.configuredPassword = configuredPassword;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.users.count() > 0) {
			return;
		}
		boolean generated = this.configuredPassword.isBlank();
		String password = generated ? generatePassword() : this.configuredPassword;
		this.users.create(this.username, password, "Владелец", Set.of(Role.OWNER), Set.of(), null);
		if (generated) {
			log.warn("""

					=====================================================================
					  First start: created the OWNER login '{}' with the password
					      {}
					  Log in and change it under Settings > Users. It is not shown again.
					=====================================================================""", this.username, password);
		}
		else {
			log.info("First start: created the OWNER login '{}' with the configured password", this.username);
		}
	}

	private static String generatePassword() {
		byte[] bytes = new byte[12];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
