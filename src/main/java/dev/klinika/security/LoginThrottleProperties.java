package dev.klinika.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How hard Klinika makes guessing passwords. After {@code freeFailures} wrong passwords
 * for one login, every further attempt waits twice as long as the one before (from
 * {@code firstDelay}); at {@code lockAfter} failures the login is locked for
 * {@code lockFor}. An address gets {@code addressFactor} times as many tries, since one
 * reception PC serves several people.
 */
@ConfigurationProperties("klinika.security.login")
record LoginThrottleProperties(Integer freeFailures, Integer lockAfter, Duration firstDelay, Duration lockFor,
		Duration window, Integer addressFactor) {

	public LoginThrottleProperties {
		freeFailures = freeFailures == null ? 3 : freeFailures;
		lockAfter = lockAfter == null ? 10 : lockAfter;
		firstDelay = firstDelay == null ? Duration.ofSeconds(5) : firstDelay;
		lockFor = lockFor == null ? Duration.ofMinutes(15) : lockFor;
		window = window == null ? Duration.ofMinutes(15) : window;
		addressFactor = addressFactor == null ? 5 : addressFactor;
	}

}
