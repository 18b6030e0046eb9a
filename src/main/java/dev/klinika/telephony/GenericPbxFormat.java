package dev.klinika.telephony;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Klinika's own PBX format: one JSON event or an array of them, signed with HMAC-SHA256
 * of the body in {@code X-Klinika-Signature: sha256=<hex>}. See docs/telephony.md.
 */
@Component
class GenericPbxFormat {

	/**
	 * A request's body at most (a day of a busy clinic's events is ~2 MB in 10 requests).
	 */
	static final int MAX_BODY = 1024 * 1024;

	/** Events in one request at most. */
	static final int MAX_EVENTS = 1000;

	private final TelephonyProperties properties;

	private final JsonMapper json;

	GenericPbxFormat(TelephonyProperties properties, JsonMapper json) {
		this.properties = properties;
		this.json = json;
	}

	/** The request's events in Klinika's words, or a refusal. */
	List<CallEvent> read(byte[] body, @Nullable String signature) {
		if (body.length > MAX_BODY) {
			throw PbxRefused.tooLarge();
		}
		String secret = this.properties.genericSecret();
		String expected = secret == null || secret.isBlank() ? null
				: "sha256=" + HexFormat.of().formatHex(Signatures.hmac("HmacSHA256", secret, body));
		if (expected == null || signature == null
				|| !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
						signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
			throw PbxRefused.signature();
		}
		List<CallEvent> events = new ArrayList<>();
		try {
			JsonNode root = this.json.readTree(body);
			if (root == null || !(root.isObject() || root.isArray())) {
				throw PbxRefused.malformed("JSON object or array");
			}
			if (root.isArray() && root.size() > MAX_EVENTS) {
				throw new PbxRefused(HttpStatus.BAD_REQUEST, "telephony.hook.tooMany", String.valueOf(MAX_EVENTS));
			}
			int index = 0;
			for (JsonNode node : root.isArray() ? root : List.of(root)) {
				String where = "[" + index++ + "].";
				try {
					events.add(event(node, where));
				}
				catch (IllegalArgumentException ex) {
					// What the canonical event refuses: a field too long, a control
					// character.
					throw PbxRefused.malformed(where + ex.getMessage());
				}
			}
		}
		catch (JacksonException ex) {
			throw PbxRefused.malformed("JSON");
		}
		return events;
	}

	private static CallEvent event(JsonNode node, String where) {
		String type = text(node, "type", where);
		CallEvent.Kind kind;
		try {
			kind = CallEvent.Kind.valueOf(type.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw PbxRefused.malformed(where + "type: " + type);
		}
		String direction = node.path("direction").asString("in").toUpperCase(Locale.ROOT);
		if (!direction.equals("IN") && !direction.equals("OUT")) {
			throw PbxRefused.malformed(where + "direction: " + direction);
		}
		Instant at;
		try {
			at = OffsetDateTime.parse(text(node, "at", where)).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw PbxRefused.malformed(where + "at: ISO-8601 with an offset");
		}
		return new CallEvent("generic", text(node, "event_id", where), text(node, "call_id", where), kind, at,
				CallEvent.Direction.valueOf(direction), optional(node, "caller"), optional(node, "called"),
				optional(node, "employee"), optional(node, "recording_url"));
	}

	private static String text(JsonNode node, String field, String where) {
		String value = node.path(field).asString("").strip();
		if (value.isEmpty()) {
			throw PbxRefused.malformed(where + field + ": required");
		}
		return value;
	}

	private static @Nullable String optional(JsonNode node, String field) {
		String value = node.path(field).asString("").strip();
		return value.isEmpty() ? null : value;
	}

}
