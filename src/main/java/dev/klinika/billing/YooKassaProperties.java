package dev.klinika.billing;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The connection to YooKassa (API v3), from the shop's settings in its cabinet. Without a
 * shop id and a secret key the provider cannot be chosen. The key is never logged or
 * shown.
 *
 * @param url the API's root, {@code https://api.yookassa.ru/v3} by default
 * @param shopId the shop's id (the user name of HTTP Basic)
 * @param secretKey the shop's secret key (the password of HTTP Basic)
 * @param timeout how long one request may take
 */
@ConfigurationProperties("klinika.billing.yookassa")
record YooKassaProperties(@Nullable String url, @Nullable String shopId, @Nullable String secretKey,
		@Nullable Duration timeout) {

	YooKassaProperties {
		url = url == null || url.isBlank() ? "https://api.yookassa.ru/v3" : url.replaceAll("/+$", "");
		timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
	}

	boolean configured() {
		return this.shopId != null && !this.shopId.isBlank() && this.secretKey != null && !this.secretKey.isBlank();
	}

	@Override
	public String toString() {
		return "YooKassaProperties[url=" + this.url + ", shopId=" + this.shopId + "]";
	}

}
