package dev.klinika.telephony.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.apache.commons.codec.digest.DigestUtils;
import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.klinika.telephony.CallEvent;
import dev.klinika.telephony.Calls;
import dev.klinika.shared.Problems;
import dev.klinika.telephony.TelephonyProperties;

/**
 * Mango Office's virtual PBX: it posts form fields {@code vpbx_api_key}, {@code sign} and
 * {@code json} to {@code <address>/events/call} (each state of each leg: Appeared,
 * Connected, Disconnected) and {@code <address>/events/summary} (the call's outcome);
 * {@code sign} is the SHA-256 hex of key + json + salt. Call states become ringing,
 * answered and ended events of the call {@code entry_id}; the summary confirms answered
 * or missed.
 */
@RestController
class MangoWebhooks {

	private final Calls calls;

	private final TelephonyProperties properties;

	private final JsonMapper json;

	private final MessageSource messages;

	MangoWebhooks(Calls calls, TelephonyProperties properties, JsonMapper json, MessageSource messages) {
		this.calls = calls;
		this.properties = properties;
		this.json = json;
		this.messages = messages;
	}

	/** Mango's notice of a finished recording comes to {@code events/record/added}. */
	@PostMapping(path = "/api/hooks/pbx/mango/events/record/added")
	ResponseEntity<?> recording(@RequestParam Map<String, String> form, Locale locale) {
		return event("recording", form, locale);
	}

	@PostMapping(path = "/api/hooks/pbx/mango/events/{kind}")
	ResponseEntity<?> event(@PathVariable String kind, @RequestParam Map<String, String> form, Locale locale) {
		String key = form.getOrDefault("vpbx_api_key", "");
		String body = form.getOrDefault("json", "");
		String sign = form.getOrDefault("sign", "");
		String salt = this.properties.mangoSalt();
		if (salt == null || salt.isBlank() || !key.equals(this.properties.mangoKey())
				|| !MessageDigest.isEqual(DigestUtils.sha256Hex(key + body + salt).getBytes(StandardCharsets.US_ASCII),
						sign.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
			return problem(HttpStatus.UNAUTHORIZED, "telephony.hook.signature", null, locale);
		}
		JsonNode event;
		try {
			event = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", "json", locale);
		}
		String entry = event == null ? "" : event.path("entry_id").asString("");
		if (entry.isBlank()) {
			return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", "entry_id", locale);
		}
		List<CallEvent> events = new ArrayList<>();
		try {
			if (!read(kind, entry, event, events)) {
				return ResponseEntity.ok(Map.of("accepted", 0));
			}
		}
		catch (IllegalArgumentException ex) {
			return problem(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", ex.getMessage(), locale);
		}
		events.forEach(this.calls::apply);
		return ResponseEntity.ok(Map.of("accepted", events.size()));
	}

	/** Adds the notice's events; false when it is not one Klinika keeps. */
	private static boolean read(String kind, String entry, JsonNode event, List<CallEvent> events) {
		switch (kind) {
			case "call" -> {
				String state = event.path("call_state").asString("");
				CallEvent.Kind what = switch (state) {
					case "Appeared" -> CallEvent.Kind.RINGING;
					case "Connected" -> CallEvent.Kind.ANSWERED;
					default -> null;
				};
				// Leg by leg: a Disconnected leg that rang one phone is not the call's
				// end
				// when another phone answers; the summary says how the call ended.
				if (what == null) {
					return false;
				}
				CallEvent.Direction direction = fromExtension(event) ? CallEvent.Direction.OUT : CallEvent.Direction.IN;
				events
					.add(event(entry + ":" + event.path("call_id").asString("") + ":" + event.path("seq").asString(""),
							entry, what, seconds(event, "timestamp"), direction, event));
			}
			case "summary" -> {
				// 1 incoming, 2 outgoing (0 internal: kept as incoming, as Mango counts
				// it).
				CallEvent.Direction direction = event.path("call_direction").asString("1").equals("2")
						|| fromExtension(event) && !event.has("call_direction") ? CallEvent.Direction.OUT
								: CallEvent.Direction.IN;
				Instant talk = event.hasNonNull("talk_time") && !"0".equals(event.path("talk_time").asString("0"))
						? seconds(event, "talk_time") : null;
				if ("1".equals(event.path("entry_result").asString("0")) && talk != null) {
					events.add(
							event(entry + ":summary:answered", entry, CallEvent.Kind.ANSWERED, talk, direction, event));
				}
				events.add(event(entry + ":summary:end", entry, CallEvent.Kind.ENDED,
						seconds(event, event.hasNonNull("end_time") ? "end_time" : "create_time"), direction, event));
			}
			case "recording" -> {
				String recording = event.path("recording_id").asString("");
				if (recording.isBlank()) {
					throw new IllegalArgumentException("recording_id");
				}
				if (recording.length() > 900) {
					throw new IllegalArgumentException("recording_id: at most 900 characters");
				}
				// A recording's notice knows neither the direction nor the numbers: the
				// call's own events decide them, whichever comes first.
				events.add(new CallEvent("mango", entry + ":recording:" + recording, entry, CallEvent.Kind.RECORDING,
						event.has("timestamp") ? seconds(event, "timestamp") : Instant.now(), CallEvent.Direction.IN,
						null, null, null, "mango:" + recording));
			}
			default -> {
				return false;
			}
		}
		return true;
	}

	/**
	 * One event in Klinika's words. Incoming: the caller is {@code from.number}, the
	 * clinic's line {@code to.line_number} (or {@code line_number}), the employee
	 * {@code to.extension}. Outgoing: the clinic's line is {@code line_number} (or
	 * {@code from.line_number}, else the employee's own number), the other party
	 * {@code to.number}, the employee {@code from.extension}.
	 */
	private static CallEvent event(String id, String entry, CallEvent.Kind kind, Instant at,
			CallEvent.Direction direction, JsonNode event) {
		JsonNode from = event.path("from");
		JsonNode to = event.path("to");
		String line = first(to.path("line_number").asString(null), event.path("line_number").asString(null),
				from.path("line_number").asString(null));
		if (direction == CallEvent.Direction.IN) {
			return new CallEvent("mango", id, entry, kind, at, direction, from.path("number").asString(null),
					first(line, to.path("number").asString(null)), blankless(to.path("extension").asString(null)),
					null);
		}
		String ours = first(event.path("line_number").asString(null), from.path("line_number").asString(null),
				from.path("number").asString(null));
		return new CallEvent("mango", id, entry, kind, at, direction, ours, to.path("number").asString(null),
				blankless(from.path("extension").asString(null)), null);
	}

	private static boolean fromExtension(JsonNode event) {
		return !event.path("from").path("extension").asString("").isBlank();
	}

	/**
	 * Mango's times are Unix seconds, as numbers or (in its documentation's examples) as
	 * strings; anything else, or a time outside 2000–2100, is refused.
	 */
	private static Instant seconds(JsonNode event, String field) {
		JsonNode value = event.path(field);
		String text = value.asString("").strip();
		if (!text.matches("\\d{9,11}")) {
			throw new IllegalArgumentException(field + ": Unix time in seconds");
		}
		Instant at = Instant.ofEpochSecond(Long.parseLong(text));
		if (at.isBefore(Instant.parse("2000-01-01T00:00:00Z")) || at.isAfter(Instant.parse("2100-01-01T00:00:00Z"))) {
			throw new IllegalArgumentException(field + ": Unix time in seconds");
		}
		return at;
	}

	private static @Nullable String first(@Nullable String... values) {
		for (String value : values) {
			if (value != null && !value.isBlank()) {
				return value;
			}
		}
		return null;
	}

	private static @Nullable String blankless(@Nullable String value) {
		return value == null || value.isBlank() ? null : value;
	}

	private ResponseEntity<ProblemDetail> problem(HttpStatus status, String key, @Nullable String what, Locale locale) {
		return Problems.of(this.messages, status, key, locale, what);
	}

}
