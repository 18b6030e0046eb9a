package dev.klinika.billing;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The connection to ATOL Online (API v5, FFD 1.2), from the integrator settings of its
 * cabinet. Without a login the register cannot be chosen in the money rules. The password
 * is never logged or shown.
 *
 * @param url the API's root, {@code https://online.atol.ru/possystem/v5} by default
 * @param login the integrator's login
 * @param password the integrator's password
 * @param group the register group's code
 * @param timeout how long one request may take
 * @param poll how long after a receipt is accepted to ask for its fiscal attributes
 * @param maxAttempts attempts before a receipt that keeps failing on the way is left for
 * a human
 */
@ConfigurationProperties("klinika.billing.atol")
record AtolProperties(@Nullable String url, @Nullable String login, @Nullable String password, @Nullable String group,
		@Nullable Duration timeout, @Nullable Duration poll, @Nullable Integer maxAttempts) {

	AtolProperties {
		url = url == null || url.isBlank() ? "https://online.atol.ru/possystem/v5" : url.replaceAll("/+$", "");
		timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
		poll = poll == null ? Duration.ofSeconds(5) : poll;
		maxAttempts = maxAttempts == null ? 20 : maxAttempts;
	}

	boolean configured() {
		return this.login != null && !this.login.isBlank() && this.password != null && this.group != null
				&& !this.group.isBlank();
	}

	@Override
	public String toString() {
		return "AtolProperties[url=" + this.url + ", login=" + this.login + ", group=" + this.group + "]";
	}

}
