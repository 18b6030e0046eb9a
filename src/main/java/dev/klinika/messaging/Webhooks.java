package dev.klinika.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.klinika.shared.Problems;

/**
 * What the providers send back: Telegram updates (authenticated by the secret token
 * Telegram repeats in a header) and SMS.ru status callbacks (by a secret in the address).
 * A wrong secret is 401, malformed JSON 400 with problem details; a repeated update or
 * receipt changes nothing.
 */
@RestController
class Webhooks {

	private final TelegramUpdates telegram;

	private final Outbox outbox;

	private final MessagingProperties properties;

	private final JsonMapper json;

	private final MessageSource messages;

	Webhooks(TelegramUpdates telegram, Outbox outbox, MessagingProperties properties, JsonMapper json,
			MessageSource messages) {
		this.telegram = telegram;
		this.outbox = outbox;
		this.properties = properties;
		this.json = json;
		this.messages = messages;
	}

	@PostMapping(path = "/api/hooks/telegram", consumes = MediaType.ALL_VALUE)
	ResponseEntity<?> telegram(@RequestHeader(name = "X-Telegram-Bot-Api-Secret-Token", required = false) String secret,
			@RequestBody(required = false) @Nullable String body, Locale locale) {
		if (!same(this.properties.telegram().webhookSecret(), secret)) {
			return problem(HttpStatus.UNAUTHORIZED, "messaging.hook.secret", locale);
		}
		JsonNode update;
		try {
			update = this.json.readTree(body == null ? "" : body);
		}
		catch (JacksonException ex) {
			return problem(HttpStatus.BAD_REQUEST, "messaging.hook.malformed", locale);
		}
		if (update == null || !update.isObject()) {
			return problem(HttpStatus.BAD_REQUEST, "messaging.hook.malformed", locale);
		}
		try {
			this.telegram.take(update);
		}
		catch (IllegalArgumentException ex) {
			return problem(HttpStatus.BAD_REQUEST, "messaging.hook.updateId", locale);
		}
		return ResponseEntity.ok(Map.of("ok", true));
	}

	/**
	 * SMS.ru posts {@code data[0..n]}, each "sms_status\n<sms_id>\n<code>"; it wants
	 * "100" back.
	 */
	@PostMapping(path = "/api/hooks/sms/smsru/{secret}", produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<String> smsRu(@PathVariable String secret, @RequestParam Map<String, String> form) {
		if (!same(this.properties.smsHttp().callbackSecret(), secret)) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body("401");
		}
		for (Map.Entry<String, String> entry : form.entrySet()) {
			if (!entry.getKey().startsWith("data[")) {
				continue;
			}
			String[] lines = entry.getValue().split("\\r?\\n");
			if (lines.length >= 3 && "sms_status".equals(lines[0].trim())) {
				int code;
				try {
					code = Integer.parseInt(lines[2].trim());
				}
				catch (NumberFormatException ex) {
					continue;
				}
				if (code == 103) {
					this.outbox.receipt(ChannelKind.SMS, lines[1].trim(), true, null);
				}
				else if (code >= 104 && code <= 108 || code == 150) {
					this.outbox.receipt(ChannelKind.SMS, lines[1].trim(), false, "SMSRU_" + code);
				}
			}
		}
		return ResponseEntity.ok("100");
	}

	private static boolean same(@Nullable String expected, @Nullable String given) {
		return expected != null && !expected.isBlank() && given != null && MessageDigest
			.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
	}

	private ResponseEntity<ProblemDetail> problem(HttpStatus status, String key, Locale locale) {
		return Problems.of(this.messages, status, key, locale);
	}

}
