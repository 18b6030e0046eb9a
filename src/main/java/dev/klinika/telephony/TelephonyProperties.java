package dev.klinika.telephony;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The PBX webhooks' secrets and the callback promise.
 *
 * @param genericSecret the HMAC-SHA256 key of the generic JSON webhook; empty: refused
 * @param zadarmaSecret the Zadarma API secret its notifications are signed with; empty:
 * refused
 * @param mangoKey Mango Office's unique code of the PBX ({@code vpbx_api_key})
 * @param mangoSalt Mango Office's signing key; empty: its notifications are refused
 * @param callbackWithin how soon a missed call's callback task is due
 * @param settleAfter how long an ended call must hear nothing more before its callback
 * task and lead are made (events of one call may come out of order)
 * @param recordingHosts hosts recordings may be fetched from even when they are this
 * machine or link-local (an Asterisk on the same server); other hosts are always allowed
 */
@ConfigurationProperties("klinika.telephony")
record TelephonyProperties(@Nullable String genericSecret, @Nullable String zadarmaSecret, @Nullable String mangoKey,
		@Nullable String mangoSalt, @Nullable Duration callbackWithin, @Nullable List<String> recordingHosts,
		@Nullable Duration settleAfter) {

	public TelephonyProperties {
		callbackWithin = callbackWithin == null ? Duration.ofMinutes(5) : callbackWithin;
		recordingHosts = recordingHosts == null ? List.of() : List.copyOf(recordingHosts);
		settleAfter = settleAfter == null ? Duration.ofSeconds(15) : settleAfter;
	}

}
