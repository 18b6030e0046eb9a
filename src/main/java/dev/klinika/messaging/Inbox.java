package dev.klinika.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.patients.PatientSearch;
import dev.klinika.security.AuditLog;
import dev.klinika.security.BranchScope;
import dev.klinika.security.CurrentUser;

import dev.klinika.shared.PhoneNumber;

/**
 * One inbox for what patients write back: SMS replies, Telegram messages, email replies,
 * each kept once per provider's event id and matched to a card by phone, chat or address.
 * A STOP ends marketing; an unknown sender is announced for the leads work. Staff answer
 * through the channel the patient wrote on.
 */
@Service
@Transactional
public class Inbox {

	private static final Set<String> STOP = Set.of("STOP", "СТОП", "ОТПИСАТЬСЯ", "UNSUBSCRIBE");

	private static final Set<String> STOP_ALL = Set.of("STOP ALL", "СТОП ВСЕ", "СТОП ВСЁ");

	private final JdbcClient jdbc;

	private final Outbox outbox;

	private final ApplicationEventPublisher events;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final Clock clock;

	private final PatientSearch search;

	Inbox(JdbcClient jdbc, Outbox outbox, ApplicationEventPublisher events, AuditLog audit, CurrentUser currentUser,
			Clock clock, PatientSearch search) {
		this.search = search;
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.events = events;
		this.audit = audit;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	/**
	 * Someone nobody knows wrote to the clinic: the leads work turns this into a lead.
	 */
	public record UnknownSenderWrote(long message, ChannelKind channel, String sender, String text) {
	}

	/** A message in the inbox. */
	public record Message(long id, ChannelKind channel, String sender, @Nullable Long patientId,
			@Nullable String patient, String body, OffsetDateTime receivedAt, @Nullable OffsetDateTime handledAt,
			@Nullable String handledBy) {
	}

	/**
	 * Takes in a message; the same provider event twice is kept once.
	 * @param patient the card it belongs to when the channel knows (a linked chat); null
	 * to match by the sender
	 * @return the new message's id, empty for a repeat
	 */
	public Optional<Long> receive(ChannelKind channel, String providerEventId, String sender, String text,
			@Nullable Long patient) {
		String clean = dev.klinika.shared.PlainText.storable(text);
		String body = clean.length() > 4000 ? clean.substring(0, 4000) : clean;
		String cleanSender = dev.klinika.shared.PlainText.storable(sender);
		String from = cleanSender.length() > 254 ? cleanSender.substring(0, 254) : cleanSender;
		providerEventId = dev.klinika.shared.PlainText.storable(providerEventId);
		Long matched = patient != null ? patient : match(channel, from);
		Optional<Long> id = this.jdbc.sql("""
				insert into inbound_message (channel, provider_event_id, sender, patient_id, body, received_at)
				values (:channel, :event, :sender, :patient, :body, :at)
				on conflict (channel, provider_event_id) do nothing returning id
				""")
			.param("channel", channel.name())
			.param("event", providerEventId.length() > 200 ? providerEventId.substring(0, 200) : providerEventId)
			.param("sender", from)
			.param("patient", matched)
			.param("body", body)
			.param("at", Outbox.utc(this.clock.instant()))
			.query(Long.class)
			.optional();
		if (id.isEmpty()) {
			return id;
		}
		String command = body.strip().toUpperCase(Locale.ROOT).replaceAll("[\\s.!]+", " ").strip();
		if (matched != null && (STOP.contains(command) || STOP_ALL.contains(command))) {
			optOut(matched, STOP_ALL.contains(command) ? "ALL" : "MARKETING", channel + " " + command);
		}
		if (matched == null) {
			this.events.publishEvent(new UnknownSenderWrote(id.get(), channel, from, body));
		}
		return id;
	}

	private @Nullable Long match(ChannelKind channel, String sender) {
		return switch (channel) {
			case SMS -> PhoneNumber.parse(sender).flatMap(this.search::cardOf).orElse(null);
			case EMAIL -> this.jdbc.sql("""
					select id from patients_card_v where lower(email) collate "C" = lower(:email) collate "C"
					   and merged_into is null and erased_at is null order by id desc limit 1
					""").param("email", sender.trim()).query(Long.class).optional().orElse(null);
			case TELEGRAM -> this.jdbc.sql("select patient_id from telegram_chat where chat_id = :chat")
				.param("chat", parseLong(sender))
				.query(Long.class)
				.optional()
				.orElse(null);
		};
	}

	private static long parseLong(String text) {
		try {
			return Long.parseLong(text.trim());
		}
		catch (NumberFormatException ex) {
			return Long.MIN_VALUE;
		}
	}

	/** Ends marketing ({@code MARKETING}) or everything ({@code ALL}) for a patient. */
	public void optOut(long patient, String scope, String via) {
		int added = this.jdbc
			.sql("""
					insert into message_opt_out (patient_id, scope, via) values (:patient, :scope, :via) on conflict do nothing
					""")
			.param("patient", patient)
			.param("scope", scope)
			.param("via", via)
			.update();
		if (added == 1) {
			this.audit.record("MESSAGES_OPT_OUT_" + scope, "patient", patient, via);
		}
	}

	/** Undoes an opt-out, when the patient asks for messages again. */
	public void optIn(long patient, String scope) {
		this.jdbc.sql("delete from message_opt_out where patient_id = :patient and scope = :scope")
			.param("patient", patient)
			.param("scope", scope)
			.update();
		this.audit.record("MESSAGES_OPT_IN_" + scope, "patient", patient, null);
	}

	@Transactional(readOnly = true)
	public List<String> optOuts(long patient) {
		return this.jdbc.sql("select scope from message_opt_out where patient_id = :patient order by scope")
			.param("patient", patient)
			.query(String.class)
			.list();
	}

	/**
	 * The latest messages, only unhandled ones when asked: from patients of the login's
	 * branches (or with a visit there), and from unknown senders.
	 */
	@Transactional(readOnly = true)
	public List<Message> latest(boolean unhandledOnly, BranchScope scope, int limit) {
		return this.jdbc.sql("""
				select m.id, m.channel, m.sender, m.patient_id,
				       case when p.id is not null then p.short_name end patient, m.body, m.received_at,
				       m.handled_at, m.handled_by
				  from inbound_message m left join patients_card_v p on p.id = m.patient_id
				 where (not :unhandled or m.handled_at is null)
				   and """ + IN_SCOPE + """
				 order by m.received_at desc, m.id desc limit :limit
				""")
			.param("unhandled", unhandledOnly)
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.param("limit", limit)
			.query(Message.class)
			.list();
	}

	@Transactional(readOnly = true)
	public Optional<Message> find(long id) {
		return this.jdbc.sql("""
				select m.id, m.channel, m.sender, m.patient_id,
				       case when p.id is not null then p.short_name end patient, m.body, m.received_at,
				       m.handled_at, m.handled_by
				  from inbound_message m left join patients_card_v p on p.id = m.patient_id where m.id = :id
				""").param("id", id).query(Message.class).optional();
	}

	/** How many messages of the login's branches (and of unknown senders) wait. */
	@Transactional(readOnly = true)
	public int unhandled(BranchScope scope) {
		return this.jdbc.sql("""
				select count(*) from inbound_message m left join patients_card_v p on p.id = m.patient_id
				 where m.handled_at is null and """ + IN_SCOPE)
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query(Integer.class)
			.single();
	}

	/**
	 * A message from a patient of the login's branches (or with a visit there), or from
	 * an unknown sender.
	 */
	private static final String IN_SCOPE = """
			(:all or m.patient_id is null or p.home_branch_id in (:branches)
			 or exists (select 1 from scheduling_appointment_v a where a.patient_id = m.patient_id and a.branch_id in (:branches)))
			""";

	/**
	 * Answers a message through its channel and marks it handled; the same answer sent
	 * twice (a double click) is one message.
	 */
	public long reply(long inbound, String text) {
		String body = text == null ? "" : text.strip();
		if (body.isEmpty() || body.length() > 1000) {
			throw new IllegalArgumentException("A reply is 1 to 1000 characters");
		}
		Message message = find(inbound).orElseThrow(() -> new IllegalArgumentException("No message " + inbound));
		String key = "reply:" + inbound + ":" + sha(body);
		this.outbox.add(List.of(new Outbox.Draft(key, message.patientId(), null, Purpose.REPLY, "REPLY",
				message.channel(), message.sender(), message.channel() == ChannelKind.EMAIL ? "Re:" : null, body,
				this.clock.instant(), MessageStatus.PENDING, null)));
		handled(inbound);
		return this.jdbc.sql("select id from outbox_message where idempotency_key = :key")
			.param("key", key)
			.query(Long.class)
			.single();
	}

	public void handled(long inbound) {
		this.jdbc.sql("""
				update inbound_message set handled_at = :now, handled_by = :by where id = :id and handled_at is null
				""")
			.param("now", Outbox.utc(this.clock.instant()))
			.param("by", this.currentUser.actor())
			.param("id", inbound)
			.update();
	}

	static String sha(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
				.substring(0, 24);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
