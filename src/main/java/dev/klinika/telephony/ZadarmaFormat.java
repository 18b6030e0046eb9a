package dev.klinika.telephony;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.klinika.shared.PlainText;

/**
 * Zadarma's PBX notifications (form fields, an HMAC-SHA1 signature over fields that
 * depend on the event type) as call events: NOTIFY_START and NOTIFY_OUT_START start a
 * call, NOTIFY_INTERNAL rings an extension, NOTIFY_ANSWER answers it, NOTIFY_END and
 * NOTIFY_OUT_END end it (answered when the disposition says so) and may name its
 * recording, NOTIFY_RECORD names the recording alone.
 */
@Component
class ZadarmaFormat {

	/** Zadarma sends local (Moscow) time without an offset. */
	private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

	private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private final TelephonyProperties properties;

	private final Clock clock;

	ZadarmaFormat(TelephonyProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	/** The notification's events in Klinika's words, or a refusal. */
	List<CallEvent> read(Map<String, String> form, @Nullable String signature) {
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
			throw PbxRefused.signature();
		}
		if (signed == null) {
			throw PbxRefused.malformed("event: " + event);
		}
		if (!MessageDigest.isEqual(signature(secret, signed).getBytes(StandardCharsets.US_ASCII),
				signature.trim().getBytes(StandardCharsets.US_ASCII))) {
			throw PbxRefused.signature();
		}
		String callId = PlainText.storable(form.getOrDefault("pbx_call_id", ""));
		if (callId.isBlank() || callId.length() > 200) {
			throw PbxRefused.malformed("pbx_call_id");
		}
		for (String field : List.of("caller_id", "called_did", "destination", "internal", "call_id_with_rec")) {
			if (form.getOrDefault(field, "").length() > 100) {
				throw PbxRefused.malformed(field);
			}
		}
		if ("NOTIFY_RECORD".equals(event)) {
			// A recording's notice names the call and the recording only, no times.
			String recording = form.getOrDefault("call_id_with_rec", "");
			if (recording.isBlank()) {
				throw PbxRefused.malformed("call_id_with_rec");
			}
			return List.of(event(event + ":" + callId + ":" + recording, callId, CallEvent.Kind.RECORDING,
					this.clock.instant(), false, null, null, null, "zadarma:" + recording));
		}
		Instant at;
		try {
			at = LocalDateTime.parse(form.getOrDefault("call_start", ""), START).atZone(MOSCOW).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw PbxRefused.malformed("call_start");
		}
		boolean out = event.startsWith("NOTIFY_OUT");
		String caller = out ? form.get("internal") : form.get("caller_id");
		String called = out ? form.get("destination") : form.get("called_did");
		String id = event + ":" + callId + ":" + form.getOrDefault("internal", "") + ":"
				+ form.getOrDefault("destination", "");
		List<CallEvent> events = new ArrayList<>();
		switch (event) {
			case "NOTIFY_START", "NOTIFY_OUT_START" ->
				events.add(event(id, callId, CallEvent.Kind.STARTED, at, out, caller, called, null, null));
			case "NOTIFY_INTERNAL" -> events
				.add(event(id, callId, CallEvent.Kind.RINGING, at, false, caller, called, form.get("internal"), null));
			case "NOTIFY_ANSWER" -> events.add(event(id, callId, CallEvent.Kind.ANSWERED, this.clock.instant(), false,
					caller, called, form.get("destination"), null));
			case "NOTIFY_END", "NOTIFY_OUT_END" -> {
				long seconds = parseLong(form.get("duration"));
				Instant end = at.plusSeconds(Math.max(seconds, 0));
				if ("answered".equalsIgnoreCase(form.getOrDefault("disposition", "")) && seconds > 0) {
					events.add(event(id + ":answered", callId, CallEvent.Kind.ANSWERED, end.minusSeconds(seconds), out,
							caller, called, form.get("internal"), null));
				}
				events
					.add(event(id, callId, CallEvent.Kind.ENDED, end, out, caller, called, form.get("internal"), null));
				String recording = form.getOrDefault("call_id_with_rec", "");
				if ("1".equals(form.get("is_recorded")) && !recording.isBlank()) {
					// The same id as NOTIFY_RECORD's, so that either notice brings it
					// once.
					events.add(event("NOTIFY_RECORD:" + callId + ":" + recording, callId, CallEvent.Kind.RECORDING, end,
							out, null, null, null, "zadarma:" + recording));
				}
			}
			default -> {
				// Only the events of the signature switch above get here.
			}
		}
		return events;
	}

	/** Zadarma checks the address with {@code zd_echo} when it is set up. */
	static String echo(String echo) {
		return echo.replaceAll("[^A-Za-z0-9_-]", "");
	}

	/**
	 * Zadarma's signature as its SDK makes it:
	 * {@code base64_encode(hash_hmac('sha1', ...))}, and PHP's hash_hmac answers hex
	 * text, so it is Base64 of the 40 hex characters (56 characters in all), not of the
	 * raw 20 bytes.
	 */
	static String signature(String secret, String signed) {
		String hex = HexFormat.of()
			.formatHex(Signatures.hmac("HmacSHA1", secret, signed.getBytes(StandardCharsets.UTF_8)));
		return Base64.getEncoder().encodeToString(hex.getBytes(StandardCharsets.US_ASCII));
	}

	private static CallEvent event(String id, String callId, CallEvent.Kind kind, Instant at, boolean out,
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

}
