package dev.klinika.demo;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.security.KlinikaUser;
import dev.klinika.security.Role;
import dev.klinika.security.UserManagement;

/**
 * Fills an empty database with a demo clinic network on start-up, when enabled. It runs
 * as a "demo" owner so that every record it makes is scoped and audited like a person's
 * would be.
 */
@Component
@Order(10)
class DemoData implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	private final DemoDataProperties properties;

	private final boolean embeddedDatabase;

	private final UserManagement users;

	private final List<DemoStep> steps;

	private final TransactionTemplate transaction;

	private final TasksDemo tasks;

	DemoData(DemoDataProperties properties, @Value("${klinika.embedded-db.enabled:true}") boolean embeddedDatabase,
			UserManagement users, List<DemoStep> steps, TransactionTemplate transaction, TasksDemo tasks) {
		this.tasks = tasks;
		this.properties = properties;
		this.embeddedDatabase = embeddedDatabase;
		this.users = users;
		this.steps = steps;
		this.transaction = transaction;
	}

	boolean enabled() {
		return this.properties.enabled() != null ? this.properties.enabled() : this.embeddedDatabase;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!enabled()) {
			return;
		}
		if (this.users.count() > 0) {
			// The demo is there; its background work may have been cut short.
			this.tasks.resumeIfUnfinished();
			return;
		}
		long started = System.nanoTime();
		var context = SecurityContextHolder.createEmptyContext();
		var demo = new KlinikaUser(0, "demo", "Demo", null, true, java.util.Set.of(Role.OWNER), java.util.Set.of(),
				null);
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(demo, null, demo.getAuthorities()));
		SecurityContextHolder.setContext(context);
		try {
			DemoContext demoContext = new DemoContext(this.properties);
			this.transaction.executeWithoutResult(status -> this.steps.forEach(step -> step.generate(demoContext)));
		}
		finally {
			SecurityContextHolder.clearContext();
		}
		log.info("Demo data generated in {} ms; log in as owner, manager, senior, admin, doctor, consultant or "
				+ "marketer with the demo password", (System.nanoTime() - started) / 1_000_000);
		this.tasks.startInBackground();
	}

}
