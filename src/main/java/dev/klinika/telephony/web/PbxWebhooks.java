package dev.klinika.telephony.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.klinika.telephony.CallEvent;
import dev.klinika.telephony.Calls;
import dev.klinika.shared.Problems;
import dev.klinika.telephony.TelephonyProperties;

/**
 * Call events from the clinic's PBX: the generic JSON format (one event or an array,
 * HMAC-SHA256 of the body in {@code X-Klinika-Signature}) and Zadarma's notifications
 * (form fields, HMAC-SHA1 signature per event type). A wrong signature is 401, a body
 * that cannot be read 400 with problem details naming what; events already seen are
 * accepted and change nothing.
 */
@RestController
class PbxWebhooks {

	private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

	/**
	 * A generic request's body at most (a day of a busy clinic's events is ~2 MB in 10
	 * requests).
	 */
	static final int MAX_BODY = 1024 * 1024;

	/** Events in one generic request at most. */
	static final int MAX_EVENTS = 1000;

	private final Calls calls;

	private final TelephonyProperties properties;

	private final JsonMapper json;

	private final MessageSource messages;

	private final java.time.Clock clock;

	PbxWebhooks(Calls calls, TelephonyProperties properties, JsonMapper json, MessageSource messages,
			java.time.Clock clock) {
		this.clock = clock;
		this.calls = calls;
		this.properties = properties;
		this.json = json;
		this.messages = messages;
	}

	@PostMapping(path = "/api/hooks/pbx/generic", consumes = MediaType.ALL_VALUE)
	ResponseEntity<?> generic(@RequestHeader(name = "X-Klinika-Signature", required = false) @Nullable String signature,
			jakarta.servlet.http.HttpServletRequest request, Locale locale) throws java.io.IOException {
		if (request.getContentLengthLong() > MAX_BODY) {
			return problem(HttpStatus.CONTENT_TOO_LARGE, "telephony.hook.tooLarge", String.valueOf(MAX_BODY), locale);
		}
		byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
		if (bytes.length > MAX_BODY) {
			return problem(HttpStatus.CONTENT_TOO_LARGE, "telephony.hook.tooLarge", String.valueOf(MAX_BODY), locale);
		}
		String expected = this.properties.genericSecret() == null || this.properties.genericSecret().isBlank() ? null
				: "sha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", this.properties.genericSecret(), bytes));
		if (expected == null || signature == null
				|| !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
						signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
			return problem(HttpStatus.UNAUTHORIZED, "telephony.hook.signature", null, locale);
		}
		List<CallEvent> events = new ArrayList<>();
		try {
			JsonNode root = this.json.readTree(bytes);
			if (root == null || !(root.isObject() || root.isArray())) {
				return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", "JSON object or array", locale);
			}
			if (root.isArray() && root.size() > MAX_EVENTS) {
				return problem(HttpStatus.BAD_REQUEST, "telephony.hook.tooMany", String.valueOf(MAX_EVENTS), locale);
			}
			int index = 0;
			for (JsonNode node : root.isArray() ? root : List.of(root)) {
				events.add(generic(node, index++));
			}
		}
		catch (JacksonException ex) {
			return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", "JSON", locale);
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", ex.getMessage(), locale);
		}
		int fresh = 0;
		for (CallEvent event : events) {
			if (this.calls.apply(event).fresh()) {
				fresh++;
			}
		}
		return ResponseEntity.ok(Map.of("accepted", events.size(), "new", fresh));
	}

	private static CallEvent generic(JsonNode node, int index) {
		String where = "[" + index + "].";
		String type = text(node, "type", where);
		CallEvent.Kind kind;
		try {
			kind = CallEvent.Kind.valueOf(type.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(where + "type: " + type);
		}
		String direction = node.path("direction").asString("in").toUpperCase(Locale.ROOT);
		if (!direction.equals("IN") && !direction.equals("OUT")) {
			throw new IllegalArgumentException(where + "direction: " + direction);
		}
		Instant at;
		try {
			at = java.time.OffsetDateTime.parse(text(node, "at", where)).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(where + "at: ISO-8601 with an offset");
		}
		return new CallEvent("generic", text(node, "event_id", where), text(node, "call_id", where), kind, at,
				CallEvent.Direction.valueOf(direction), optional(node, "caller"), optional(node, "called"),
				optional(node, "employee"), optional(node, "recording_url"));
	}

	/** Zadarma checks the address with {@code zd_echo} when it is set up. */
	@GetMapping(path = "/api/hooks/pbx/zadarma", produces = MediaType.TEXT_PLAIN_VALUE)
	String zadarmaEcho(@RequestParam(name = "zd_echo", defaultValue = "") String echo) {
		return echo.replaceAll("[^A-Za-z0-9_-]", "");
	}

	@PostMapping(path = "/api/hooks/pbx/zadarma")
	ResponseEntity<?> zadarma(@RequestHeader(name = "Signature", required = false) @Nullable String signature,
			@RequestParam Map<String, String> form, Locale locale) {
		String event = form.getOrDefault("event", "");
		String signed = switch (event) {
			case "NOTIFY_START", "NOTIFY_INTERNAL", "NOTIFY_END" -> form.getOrDefault("caller_id", "")
					+ form.getOrDefault("called_did", "") + form.getOrDefault("call_start", "");
			case "NOTIFY_ANSWER" -> form.getOrDefault("caller_id", "") + form.getOrDefault("destination", "")
					+ form.getOrDefault("call_start", "");
			case "NOTIFY_OUT_START", "NOTIFY_OUT_END" -> form.getOrDefault("internal", "")
					+ form.getOrDefault("destination", "") + form.getOrDefault("call_start", "");
			case "NOTIFY_RECORD" -> form.getOrDefault("pbx_call_id", "") + form.getOrDefault("call_id_with_rec", "");
			default -> null;
		};
		String secret = this.properties.zadarmaSecret();
		if (secret == null || secret.isBlank() || signature == null) {
			return problem(HttpStatus.UNAUTHORIZED, "telephony.hook.signature", null, locale);
		}
		if (signed == null) {
			return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", "event: " + event, locale);
		}
		if (!MessageDigest.isEqual(zadarmaSignature(secret, signed).getBytes(StandardCharsets.US_ASCII),
				signature.trim().getBytes(StandardCharsets.US_ASCII))) {
			return problem(HttpStatus.UNAUTHORIZED, "telephony.hook.signature", null, locale);
		}
		String callId = dev.klinika.shared.PlainText.storable(form.getOrDefault("pbx_call_id", ""));
		if (callId.isBlank() || callId.length() > 200) {
			return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", "pbx_call_id", locale);
		}
		for (String field : List.of("caller_id", "called_did", "destination", "internal", "call_id_with_rec")) {
			if (form.getOrDefault(field, "").length() > 100) {
				return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", field, locale);
			}
		}
		Instant at;
		if ("NOTIFY_RECORD".equals(event)) {
			// A recording's notice names the call and the recording only, no times.
			String recording = form.getOrDefault("call_id_with_rec", "");
			if (recording.isBlank()) {
				return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", "call_id_with_rec", locale);
			}
			CallEvent record = zadarma(event + ":" + callId + ":" + recording, callId, CallEvent.Kind.RECORDING,
					this.clock.instant(), false, null, null, null, "zadarma:" + recording);
			this.calls.apply(record);
			return ResponseEntity.ok(Map.of("accepted", 1));
		}
		try {
			// Zadarma sends local (Moscow) time without an offset.
			at = LocalDateTime
				.parse(form.getOrDefault("call_start", ""), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
				.atZone(MOSCOW)
				.toInstant();
		}
		catch (DateTimeParseException ex) {
			return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", "call_start", locale);
		}
		boolean out = event.startsWith("NOTIFY_OUT");
		String caller = out ? form.get("internal") : form.get("caller_id");
		String called = out ? form.get("destination") : form.get("called_did");
		String id = event + ":" + callId + ":" + form.getOrDefault("internal", "") + ":"
				+ form.getOrDefault("destination", "");
		List<CallEvent> events = new ArrayList<>();
		switch (event) {
			case "NOTIFY_START", "NOTIFY_OUT_START" ->
				events.add(zadarma(id, callId, CallEvent.Kind.STARTED, at, out, caller, called, null, null));
			case "NOTIFY_INTERNAL" -> events.add(
					zadarma(id, callId, CallEvent.Kind.RINGING, at, false, caller, called, form.get("internal"), null));
			case "NOTIFY_ANSWER" -> events.add(zadarma(id, callId, CallEvent.Kind.ANSWERED, this.clock.instant(), false,
					caller, called, form.get("destination"), null));
			case "NOTIFY_END", "NOTIFY_OUT_END" -> {
				long seconds = parseLong(form.get("duration"));
				Instant end = at.plusSeconds(Math.max(seconds, 0));
				if ("answered".equalsIgnoreCase(form.getOrDefault("disposition", "")) && seconds > 0) {
					events.add(zadarma(id + ":answered", callId, CallEvent.Kind.ANSWERED, end.minusSeconds(seconds),
							out, caller, called, form.get("internal"), null));
				}
				events.add(zadarma(id, callId, CallEvent.Kind.ENDED, end, out, caller, called, form.get("internal"),
						null));
				String recording = form.getOrDefault("call_id_with_rec", "");
				if ("1".equals(form.get("is_recorded")) && !recording.isBlank()) {
					// The same id as NOTIFY_RECORD's, so that either notice brings it
					// once.
					events.add(zadarma("NOTIFY_RECORD:" + callId + ":" + recording, callId, CallEvent.Kind.RECORDING,
							end, out, null, null, null, "zadarma:" + recording));
				}
			}
			default -> {
				// Only the events of the signature switch above get here.
			}
		}
		events.forEach(this.calls::apply);
		return ResponseEntity.ok(Map.of("accepted", events.size()));
	}

	/**
	 * Zadarma's signature as its SDK makes it:
	 * {@code base64_encode(hash_hmac('sha1', ...))}, and PHP's hash_hmac answers hex
	 * text, so it is Base64 of the 40 hex characters (56 characters in all), not of the
	 * raw 20 bytes.
	 */
	static String zadarmaSignature(String secret, String signed) {
		String hex = HexFormat.of().formatHex(hmac("HmacSHA1", secret, signed.getBytes(StandardCharsets.UTF_8)));
		return Base64.getEncoder().encodeToString(hex.getBytes(StandardCharsets.US_ASCII));
	}

	private static CallEvent zadarma(String id, String callId, CallEvent.Kind kind, Instant at, boolean out,
			@Nullable String caller, @Nullable String called, @Nullable String employee, @Nullable String recording) {
		return new CallEvent("zadarma", id, callId, kind, at, out ? CallEvent.Direction.OUT : CallEvent.Direction.IN,
				caller, called, employee, recording);
	}

	private static long parseLong(@Nullable String text) {
		try {
			return text == null ? 0 : Long.parseLong(text.trim());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static String text(JsonNode node, String field, String where) {
		String value = node.path(field).asString("").strip();
		if (value.isEmpty()) {
			throw new IllegalArgumentException(where + field + ": required");
		}
		return value;
	}

	private static @Nullable String optional(JsonNode node, String field) {
		String value = node.path(field).asString("").strip();
		return value.isEmpty() ? null : value;
	}

	static byte[] hmac(String algorithm, String secret, byte[] data) {
		try {
			Mac mac = Mac.getInstance(algorithm);
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
			return mac.doFinal(data);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(algorithm + " is not available", ex);
		}
	}

	private ResponseEntity<ProblemDetail> problem(HttpStatus status, String key, @Nullable String what, Locale locale) {
		return Problems.of(this.messages, status, key, locale, what);
	}

}
