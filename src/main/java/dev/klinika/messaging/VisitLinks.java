package dev.klinika.messaging;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Signed links for patients: one that confirms or cancels a visit until it starts, and
 * one that unsubscribes. A link carries the appointment (or patient), its expiry and an
 * HMAC-SHA256 of both under the clinic's key, so nothing is stored per link and a forged
 * or altered link is refused.
 */
@Component
public class VisitLinks {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final MessagingProperties properties;

	private final JdbcClient jdbc;

	private volatile byte[] key;

	VisitLinks(MessagingProperties properties, JdbcClient jdbc) {
		this.properties = properties;
		this.jdbc = jdbc;
	}

	/** What a visit link said, once checked. */
	public sealed interface Checked permits Valid, Expired, Forged {

	}

	public record Valid(long id) implements Checked {
	}

	public record Expired(long id) implements Checked {
	}

	public record Forged() implements Checked {
	}

	/**
	 * The address of the confirm-or-cancel page of an appointment, valid until it starts.
	 */
	public String visitUrl(long appointment, Instant expires) {
		return this.properties.publicUrl() + "/m/" + visitToken(appointment, expires);
	}

	public String visitToken(long appointment, Instant expires) {
		String payload = appointment + "." + Long.toString(expires.getEpochSecond(), 36);
		return payload + "." + sign("visit:" + payload);
	}

	/** The address where a patient stops marketing (and, if they choose, everything). */
	public String unsubscribeUrl(long patient) {
		return this.properties.publicUrl() + "/m/u/" + unsubscribeToken(patient);
	}

	public String unsubscribeToken(long patient) {
		return patient + "." + sign("unsubscribe:" + patient);
	}

	public Checked checkVisit(String token, Instant now) {
		String[] parts = token.split("\\.");
		if (parts.length != 3 || token.length() > 80) {
			return new Forged();
		}
		try {
			long id = Long.parseLong(parts[0]);
			long expires = Long.parseLong(parts[1], 36);
			if (!same(sign("visit:" + parts[0] + "." + parts[1]), parts[2])) {
				return new Forged();
			}
			return now.getEpochSecond() > expires ? new Expired(id) : new Valid(id);
		}
		catch (NumberFormatException ex) {
			return new Forged();
		}
	}

	public Optional<Long> checkUnsubscribe(String token) {
		String[] parts = token.split("\\.");
		if (parts.length != 2 || token.length() > 60) {
			return Optional.empty();
		}
		try {
			long patient = Long.parseLong(parts[0]);
			return same(sign("unsubscribe:" + parts[0]), parts[1]) ? Optional.of(patient) : Optional.empty();
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private static boolean same(String expected, String given) {
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				given.getBytes(StandardCharsets.US_ASCII));
	}

	private String sign(String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key(), "HmacSHA256"));
			return ENCODER.encodeToString(Arrays.copyOf(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)), 12));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/** The configured key, or the one every node shares in the database (made once). */
	private byte[] key() {
		byte[] current = this.key;
		if (current != null) {
			return current;
		}
		String configured = this.properties.linkSecret();
		if (configured != null && !configured.isBlank()) {
			current = configured.getBytes(StandardCharsets.UTF_8);
		}
		else {
			byte[] fresh = new byte[32];
			new SecureRandom().nextBytes(fresh);
			this.jdbc.sql("insert into messaging_secret (id, secret) values (1, :secret) on conflict do nothing")
				.param("secret", fresh)
				.update();
			current = this.jdbc.sql("select secret from messaging_secret where id = 1").query(byte[].class).single();
		}
		this.key = current;
		return current;
	}

}
