package dev.klinika.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts wrong passwords per login and per address in the database (so every app node
 * sees the same counts), slows repeated failures down and then locks for a while.
 */
@Component
class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final LoginThrottleProperties properties;

	private final AuditLog audit;

	LoginThrottle(JdbcClient jdbc, Clock clock, LoginThrottleProperties properties, AuditLog audit) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
		this.audit = audit;
	}

	/** How long the caller must still wait before another attempt, if at all. */
	Optional<Duration> waitBefore(String username, @Nullable String address) {
		Instant now = this.clock.instant();
		return longest(remaining(userKey(username), now), address == null ? null : remaining(addressKey(address), now));
	}

	@Transactional
	void failed(String username, @Nullable String address) {
		Duration userLock = fail(userKey(username), this.properties.freeFailures(), this.properties.lockAfter());
		if (userLock != null && userLock.equals(this.properties.lockFor())) {
			log.warn("Login '{}' locked for {} after {} wrong passwords", username, userLock,
					this.properties.lockAfter());
			this.audit.record(username, address, "LOGIN_LOCKED", "user", username,
					"locked for " + userLock.toMinutes() + " min");
		}
		if (address != null) {
			int factor = this.properties.addressFactor();
			Duration addressLock = fail(addressKey(address), this.properties.freeFailures() * factor,
					this.properties.lockAfter() * factor);
			if (addressLock != null && addressLock.equals(this.properties.lockFor())) {
				log.warn("Address {} locked for {} after repeated wrong passwords", address, addressLock);
				this.audit.record(username, address, "LOGIN_LOCKED", "address", address,
						"locked for " + addressLock.toMinutes() + " min");
			}
		}
		this.audit.record(username, address, "LOGIN_FAILED", "user", username, null);
	}

	void succeeded(String username) {
		this.jdbc.sql("delete from login_attempt where key = :key").param("key", userKey(username)).update();
	}

	/** Counts one failure and returns the lock it earns, if any. */
	private @Nullable Duration fail(String key, int free, int lockAfter) {
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		// Failures older than the window are forgotten: the count starts again at one.
		int failures = this.jdbc.sql("""
				insert into login_attempt (key, failures, last_failure_at) values (:key, 1, :now)
				on conflict (key) do update set
				    failures = case when login_attempt.last_failure_at < :windowStart then 1
				                    else login_attempt.failures + 1 end,
				    last_failure_at = excluded.last_failure_at
				returning failures
				""")
			.param("key", key)
			.param("now", now)
			.param("windowStart", now.minus(this.properties.window()))
			.query(Integer.class)
			.single();
		Duration lock = lockFor(failures, free, lockAfter);
		if (lock != null) {
			this.jdbc.sql("update login_attempt set locked_until = :until where key = :key")
				.param("until", now.plus(lock))
				.param("key", key)
				.update();
		}
		return lock;
	}

	@Nullable Duration lockFor(int failures, int free, int lockAfter) {
		if (failures >= lockAfter) {
			return this.properties.lockFor();
		}
		if (failures < free) {
			return null;
		}
		Duration delay = this.properties.firstDelay().multipliedBy(1L << Math.min(failures - free, 20));
		return delay.compareTo(this.properties.lockFor()) < 0 ? delay : this.properties.lockFor();
	}

	private @Nullable Duration remaining(String key, Instant now) {
		return this.jdbc.sql("select locked_until from login_attempt where key = :key and locked_until > :now")
			.param("key", key)
			.param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.query(OffsetDateTime.class)
			.optional()
			.map(until -> Duration.between(now, until.toInstant()))
			.orElse(null);
	}

	private static Optional<Duration> longest(@Nullable Duration a, @Nullable Duration b) {
		if (a == null) {
			return Optional.ofNullable(b);
		}
		return Optional.of(b == null || a.compareTo(b) >= 0 ? a : b);
	}

	private static String userKey(String username) {
		return "user:" + username.trim().toLowerCase(Locale.ROOT);
	}

	private static String addressKey(String address) {
		return "ip:" + address;
	}

}
