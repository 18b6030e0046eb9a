package dev.klinika.telephony;

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

import org.springframework.stereotype.Component;

/**
 * Mango Office's virtual PBX: it posts form fields {@code vpbx_api_key}, {@code sign} and
 * {@code json} to {@code <address>/events/call} (each state of each leg: Appeared,
 * Connected, Disconnected), {@code <address>/events/summary} (the call's outcome) and
 * {@code <address>/events/record/added}; {@code sign} is the SHA-256 hex of key + json +
 * salt. Call states become ringing, answered and ended events of the call
 * {@code entry_id}; the summary confirms answered or missed.
 */
@Component
class MangoFormat {

	private final TelephonyProperties properties;

	private final JsonMapper json;

	MangoFormat(TelephonyProperties properties, JsonMapper json) {
		this.properties = properties;
		this.json = json;
	}

	/**
	 * The notice's events in Klinika's words (none for a notice Klinika does not keep),
	 * or a refusal.
	 */
	List<CallEvent> read(String kind, Map<String, String> form) {
		String key = form.getOrDefault("vpbx_api_key", "");
		String body = form.getOrDefault("json", "");
		String sign = form.getOrDefault("sign", "");
		String salt = this.properties.mangoSalt();
		if (salt == null || salt.isBlank() || !key.equals(this.properties.mangoKey())
				|| !MessageDigest.isEqual(DigestUtils.sha256Hex(key + body + salt).getBytes(StandardCharsets.US_ASCII),
						sign.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
			throw PbxRefused.signature();
		}
		JsonNode event;
		try {
			event = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw PbxRefused.malformed("json");
		}
		String entry = event == null ? "" : event.path("entry_id").asString("");
		if (entry.isBlank()) {
			throw PbxRefused.malformed("entry_id");
		}
		List<CallEvent> events = new ArrayList<>();
		try {
			read(kind, entry, event, events);
		}
		catch (IllegalArgumentException ex) {
			throw PbxRefused.malformed(ex.getMessage());
		}
		return events;
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
					throw PbxRefused.malformed("recording_id");
				}
				if (recording.length() > 900) {
					throw PbxRefused.malformed("recording_id: at most 900 characters");
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
			throw PbxRefused.malformed(field + ": Unix time in seconds");
		}
		Instant at = Instant.ofEpochSecond(Long.parseLong(text));
		if (at.isBefore(Instant.parse("2000-01-01T00:00:00Z")) || at.isAfter(Instant.parse("2100-01-01T00:00:00Z"))) {
			throw PbxRefused.malformed(field + ": Unix time in seconds");
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

}
