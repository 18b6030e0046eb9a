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
		switch (kind) {
			case "call" -> {
				String state = event.path("call_state").asString("");
				CallEvent.Kind what = switch (state) {
					case "Appeared" -> CallEvent.Kind.RINGING;
					case "Connected" -> CallEvent.Kind.ANSWERED;
					case "Disconnected" -> CallEvent.Kind.ENDED;
					default -> null;
				};
				if (what == null) {
					return ResponseEntity.ok(Map.of("accepted", 0));
				}
				// Leg by leg: a Disconnected leg that rang one phone is not the call's
				// end
				// when another phone answers; the summary says how the call ended.
				if (what == CallEvent.Kind.ENDED) {
					return ResponseEntity.ok(Map.of("accepted", 0));
				}
				events.add(event(entry + ":" + event.path("call_id").asString("") + ":" + event.path("seq").asLong(),
						entry, what, seconds(event.path("timestamp")), direction(event), event,
						event.path("to").path("extension").asString(null), null));
			}
			case "summary" -> {
				CallEvent.Direction direction = event.path("call_direction").asInt(1) == 2 ? CallEvent.Direction.OUT
						: CallEvent.Direction.IN;
				long talk = event.path("talk_time").asLong(0);
				if (event.path("entry_result").asInt(0) == 1 && talk > 0) {
					events.add(event(entry + ":summary:answered", entry, CallEvent.Kind.ANSWERED,
							Instant.ofEpochSecond(talk), direction, event,
							event.path("to").path("extension").asString(null), null));
				}
				events.add(event(entry + ":summary:end", entry, CallEvent.Kind.ENDED,
						Instant.ofEpochSecond(event.path("end_time").asLong(event.path("create_time").asLong())),
						direction, event, null, null));
			}
			case "recording" -> events.add(event(entry + ":recording:" + event.path("recording_id").asString(""), entry,
					CallEvent.Kind.RECORDING, Instant.now(), CallEvent.Direction.IN, event, null,
					"mango:" + event.path("recording_id").asString("")));
			default -> {
				return ResponseEntity.ok(Map.of("accepted", 0));
			}
		}
		events.forEach(this.calls::apply);
		return ResponseEntity.ok(Map.of("accepted", events.size()));
	}

	private static CallEvent event(String id, String entry, CallEvent.Kind kind, Instant at,
			CallEvent.Direction direction, JsonNode event, @Nullable String employee, @Nullable String recording) {
		String from = event.path("from").path("number").asString(null);
		String to = event.path("to").path("line_number").asString(event.path("line_number").asString(null));
		if (to == null) {
			to = event.path("to").path("number").asString(null);
		}
		return new CallEvent("mango", id, entry, kind, at, direction, direction == CallEvent.Direction.IN ? from : to,
				direction == CallEvent.Direction.IN ? to : event.path("to").path("number").asString(null), employee,
				recording);
	}

	private static CallEvent.Direction direction(JsonNode event) {
		return event.path("from").has("extension") && !event.path("from").path("extension").asString("").isEmpty()
				? CallEvent.Direction.OUT : CallEvent.Direction.IN;
	}

	private static Instant seconds(JsonNode value) {
		return value.canConvertToLong() ? Instant.ofEpochSecond(value.asLong()) : Instant.now();
	}

	private ResponseEntity<ProblemDetail> problem(HttpStatus status, String key, @Nullable String what, Locale locale) {
		return Problems.of(this.messages, status, key, locale, what);
	}

}
