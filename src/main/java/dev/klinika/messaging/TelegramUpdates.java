package dev.klinika.messaging;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The Telegram bot's side of a conversation: deep links that tie a chat to a card with a
 * one-time token ({@code t.me/<bot>?start=<token>}, good for 7 days), and updates from
 * the webhook, each taken once by its {@code update_id}.
 */
@Service
@Transactional
class TelegramUpdates {

	private static final Duration TOKEN_LIFE = Duration.ofDays(7);

	private final JdbcClient jdbc;

	private final Inbox inbox;

	private final Outbox outbox;

	private final MessagingProperties properties;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	TelegramUpdates(JdbcClient jdbc, Inbox inbox, Outbox outbox, MessagingProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.inbox = inbox;
		this.outbox = outbox;
		this.properties = properties;
		this.clock = clock;
	}

	/** A new deep link for a patient to open in Telegram. */
	public String linkFor(long patient) {
		byte[] bytes = new byte[18];
		this.random.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.jdbc.sql("insert into telegram_link_token (token, patient_id, created_at) values (:token, :patient, :at)")
			.param("token", token)
			.param("patient", patient)
			.param("at", Outbox.utc(this.clock.instant()))
			.update();
		String bot = this.properties.telegram().botName();
		return "https://t.me/" + (bot == null || bot.isBlank() ? "your_clinic_bot" : bot) + "?start=" + token;
	}

	/** Whether a patient has a chat linked. */
	@Transactional(readOnly = true)
	public boolean linked(long patient) {
		return this.jdbc.sql("select exists (select 1 from telegram_chat where patient_id = :patient)")
			.param("patient", patient)
			.query(Boolean.class)
			.single();
	}

	/**
	 * Takes one update: a message lands in the inbox (a repeat of an update changes
	 * nothing); {@code /start <token>} links the chat first and is answered.
	 * @throws IllegalArgumentException when the update has no {@code update_id}
	 */
	public void take(JsonNode update) {
		if (!update.path("update_id").canConvertToLong()) {
			throw new IllegalArgumentException("update_id");
		}
		long updateId = update.path("update_id").asLong();
		JsonNode message = update.has("message") ? update.path("message") : update.path("edited_message");
		if (message.isMissingNode() || !message.path("chat").path("id").canConvertToLong()) {
			return;
		}
		long chat = message.path("chat").path("id").asLong();
		String text = message.path("text").asString("").strip();
		Long linked = null;
		if (text.startsWith("/start ")) {
			linked = link(text.substring("/start ".length()).strip(), chat).orElse(null);
		}
		Optional<Long> id = this.inbox.receive(ChannelKind.TELEGRAM, "update:" + updateId, String.valueOf(chat),
				text.isEmpty() ? "[" + firstField(message) + "]" : text, linked);
		if (id.isPresent() && linked != null) {
			this.inbox.handled(id.get());
			this.outbox.add(List.of(new Outbox.Draft("telegram-linked:" + chat + ":" + linked, linked, null,
					Purpose.SERVICE, "TELEGRAM_LINKED", ChannelKind.TELEGRAM, String.valueOf(chat), null,
					"Готово! Напоминания о визитах будут приходить сюда. / Done! Visit reminders will come here.",
					this.clock.instant(), MessageStatus.PENDING, null)));
		}
	}

	private Optional<Long> link(String token, long chat) {
		Optional<Long> patient = this.jdbc.sql("""
				update telegram_link_token set used_at = :now
				 where token = :token and used_at is null and created_at > :oldest
				returning patient_id
				""")
			.param("now", Outbox.utc(this.clock.instant()))
			.param("token", token.length() > 40 ? "" : token)
			.param("oldest", Outbox.utc(this.clock.instant().minus(TOKEN_LIFE)))
			.query(Long.class)
			.optional();
		patient.ifPresent(id -> this.jdbc.sql("""
				insert into telegram_chat (chat_id, patient_id, linked_at) values (:chat, :patient, :at)
				on conflict (chat_id) do update set patient_id = excluded.patient_id, linked_at = excluded.linked_at
				""").param("chat", chat).param("patient", id).param("at", Outbox.utc(this.clock.instant())).update());
		return patient;
	}

	private static @Nullable String firstField(JsonNode message) {
		for (String kind : List.of("photo", "voice", "document", "sticker", "video", "location", "contact")) {
			if (message.has(kind)) {
				return kind;
			}
		}
		return "message";
	}

}
