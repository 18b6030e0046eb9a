package dev.klinika.organization;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;

/**
 * The clinic's logo: a PNG, JPEG or WebP picture of at most 300 KB, recognised by its
 * first bytes (not by the name or type the browser sent), so that nothing else (an SVG
 * with a script, a page) is ever served from the clinic's address as its logo.
 */
@Component
public class ClinicLogo {

	/** The largest logo kept, in bytes. */
	public static final int MAX_BYTES = 300 * 1024;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	ClinicLogo(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** The picture and when it was set (for caching). */
	public record Picture(String contentType, byte[] bytes, Instant updatedAt) {
	}

	/** Why a file is not taken as the logo. */
	public static class Refused extends RuntimeException {

		private final String reason;

		Refused(String reason) {
			super("Logo refused: " + reason);
			this.reason = reason;
		}

		/** EMPTY, TOO_BIG or NOT_AN_IMAGE. */
		public String reason() {
			return this.reason;
		}

	}

	@Transactional(readOnly = true)
	public Optional<Picture> current() {
		return this.jdbc.sql("select content_type, bytes, updated_at from clinic_logo where id = 1")
			.query((rs, n) -> new Picture(rs.getString(1), rs.getBytes(2),
					rs.getObject(3, OffsetDateTime.class).toInstant()))
			.optional();
	}

	/** When the logo was last set, if there is one: the pages' link changes with it. */
	@Transactional(readOnly = true)
	public Optional<Instant> version() {
		return this.jdbc.sql("select updated_at from clinic_logo where id = 1")
			.query(OffsetDateTime.class)
			.optional()
			.map(OffsetDateTime::toInstant);
	}

	@Transactional
	public void set(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length == 0) {
			throw new Refused("EMPTY");
		}
		if (bytes.length > MAX_BYTES) {
			throw new Refused("TOO_BIG");
		}
		String type = typeOf(bytes).orElseThrow(() -> new Refused("NOT_AN_IMAGE"));
		this.jdbc.sql("""
				insert into clinic_logo (id, content_type, bytes, updated_at) values (1, :type, :bytes, now())
				on conflict (id) do update set content_type = excluded.content_type, bytes = excluded.bytes,
				       updated_at = now()
				""").param("type", type).param("bytes", bytes).update();
		this.audit.record("CLINIC_LOGO_SET", "clinic", 1, type + ", " + bytes.length + " bytes");
	}

	@Transactional
	public void remove() {
		if (this.jdbc.sql("delete from clinic_logo where id = 1").update() > 0) {
			this.audit.record("CLINIC_LOGO_REMOVED", "clinic", 1, null);
		}
	}

	/** The picture's type from its signature, or nothing when it is not one we show. */
	static Optional<String> typeOf(byte[] bytes) {
		if (starts(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			return Optional.of("image/png");
		}
		if (starts(bytes, 0, 0xFF, 0xD8, 0xFF)) {
			return Optional.of("image/jpeg");
		}
		if (starts(bytes, 0, 'R', 'I', 'F', 'F') && starts(bytes, 8, 'W', 'E', 'B', 'P')) {
			return Optional.of("image/webp");
		}
		return Optional.empty();
	}

	private static boolean starts(byte[] bytes, int offset, int... signature) {
		if (bytes.length < offset + signature.length) {
			return false;
		}
		int[] head = new int[signature.length];
		for (int i = 0; i < signature.length; i++) {
			head[i] = bytes[offset + i] & 0xFF;
		}
		return Arrays.equals(head, signature);
	}

}
