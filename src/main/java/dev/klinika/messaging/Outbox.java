package dev.klinika.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.CurrentUser;

/**
 * The outbox: every outgoing message is a row written with its cause and a unique key, so
 * that a cause handled twice writes it once. Workers claim due rows under a lease with
 * {@code FOR UPDATE SKIP LOCKED}, and record what the provider said.
 */
@Service
@Transactional
class Outbox {

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final MessagingProperties properties;

	private final CurrentUser currentUser;

	private final Clock clock;

	Outbox(JdbcClient jdbc, JdbcTemplate template, MessagingProperties properties, CurrentUser currentUser,
			Clock clock) {
		this.jdbc = jdbc;
		this.currentUser = currentUser;
		this.template = template;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * A message to write: {@code PENDING} to send at {@code dueAt}, or {@code SKIPPED}
	 * with the reason in {@code error}.
	 */
	public record Draft(String key, @Nullable Long patientId, @Nullable Long appointmentId, Purpose purpose,
			String event, @Nullable ChannelKind channel, @Nullable String recipient, @Nullable String subject,
			String body, Instant dueAt, MessageStatus status, @Nullable String error) {

		public Draft {
			if (status != MessageStatus.PENDING && status != MessageStatus.SKIPPED) {
				throw new IllegalArgumentException("A new message is pending or skipped, not " + status);
			}
			if (status == MessageStatus.PENDING && (channel == null || recipient == null)) {
				throw new IllegalArgumentException("A message to send needs a channel and a recipient");
			}
		}

		/** The same message, tied to the appointment it is about. */
		public Draft about(@Nullable Long appointment) {
			return new Draft(this.key, this.patientId, appointment, this.purpose, this.event, this.channel,
					this.recipient, this.subject, this.body, this.dueAt, this.status, this.error);
		}

	}

	/** A claimed message, as the worker sends it. */
	public record Claimed(long id, @Nullable ChannelKind channel, @Nullable String recipient, @Nullable String subject,
			String body, int attempts, Purpose purpose, @Nullable Long patientId, String key) {
	}

	/**
	 * Writes the messages; a key already written is left as it is, unless it was
	 * withdrawn (an appointment moved away and back): then it is pending again.
	 * @return how many rows were written or revived
	 */
	public int add(List<Draft> drafts) {
		if (drafts.isEmpty()) {
			return 0;
		}
		String actor = this.currentUser.actor();
		int[][] counts = this.template.batchUpdate("""
				insert into outbox_message as m (idempotency_key, patient_id, appointment_id, purpose, event, channel,
				       recipient, subject, body, due_at, status, error, created_by)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				on conflict (idempotency_key) do update
				   set status = excluded.status, due_at = excluded.due_at, channel = excluded.channel,
				       recipient = excluded.recipient, subject = excluded.subject, body = excluded.body,
				       error = excluded.error, attempts = 0, locked_until = null
				 where m.status = 'WITHDRAWN'
				""", drafts, 500, (ps, d) -> {
			ps.setString(1, d.key());
			ps.setObject(2, d.patientId());
			ps.setObject(3, d.appointmentId());
			ps.setString(4, d.purpose().name());
			ps.setString(5, d.event());
			ps.setString(6, d.channel() == null ? null : d.channel().name());
			ps.setString(7, d.recipient());
			ps.setString(8, d.subject());
			ps.setString(9, d.body());
			ps.setObject(10, utc(d.dueAt()));
			ps.setString(11, d.status().name());
			ps.setString(12, d.error());
			ps.setString(13, actor);
		});
		int written = 0;
		for (int[] batch : counts) {
			for (int count : batch) {
				written += Math.max(count, 0);
			}
		}
		return written;
	}

	/**
	 * Takes back the messages of an appointment that are not out yet (it moved, was
	 * cancelled, or the patient came).
	 */
	public int withdraw(long appointmentId, List<String> events) {
		return this.jdbc.sql("""
				update outbox_message set status = 'WITHDRAWN', locked_until = null
				 where appointment_id = :appointment and status = 'PENDING' and event in (:events)
				""").param("appointment", appointmentId).param("events", events).update();
	}

	/**
	 * Claims up to {@code limit} due messages for this worker: pending ones, and those
	 * whose sender's lease ran out (a node died mid-send).
	 */
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public List<Claimed> claim(int limit) {
		Instant now = this.clock.instant();
		return this.jdbc.sql("""
				update outbox_message m set status = 'SENDING', attempts = m.attempts + 1, locked_until = :lease
				  from (select id from outbox_message
				         where status in ('PENDING', 'SENDING') and due_at <= :now
				           and (locked_until is null or locked_until < :now)
				         order by due_at limit :limit for update skip locked) due
				 where m.id = due.id
				returning m.id, m.channel, m.recipient, m.subject, m.body, m.attempts, m.purpose, m.patient_id,
				          m.idempotency_key
				""")
			.param("now", utc(now))
			.param("lease", utc(now.plus(this.properties.lease())))
			.param("limit", limit)
			.query((rs, n) -> new Claimed(rs.getLong("id"),
					rs.getString("channel") == null ? null : ChannelKind.valueOf(rs.getString("channel")),
					rs.getString("recipient"), rs.getString("subject"), rs.getString("body"), rs.getInt("attempts"),
					Purpose.valueOf(rs.getString("purpose")), (Long) rs.getObject("patient_id"),
					rs.getString("idempotency_key")))
			.list();
	}

	/** What became of one claimed message. */
	public record Result(Claimed message, @Nullable List<String> providerIds, @Nullable SendFailure failure,
			@Nullable String skipped) {

		static Result sent(Claimed message, List<String> ids) {
			return new Result(message, ids, null, null);
		}

		static Result failed(Claimed message, SendFailure failure) {
			return new Result(message, null, failure, null);
		}

		static Result skipped(Claimed message, String reason) {
			return new Result(message, null, null, reason);
		}

	}

	/**
	 * Records a worker's results in one transaction: the provider's ids of sent messages;
	 * failures back to pending with backoff, or failed for a human after the last attempt
	 * or a permanent refusal.
	 */
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public void record(List<Result> results) {
		Instant now = this.clock.instant();
		List<Result> sent = results.stream().filter(r -> r.providerIds() != null).toList();
		this.template.batchUpdate("""
				update outbox_message set status = 'SENT', provider_id = ?, sent_at = ?, locked_until = null,
				       error = null
				 where id = ? and status = 'SENDING'
				""", sent, 500, (ps, r) -> {
			ps.setString(1, r.providerIds().isEmpty() ? null : r.providerIds().get(0));
			ps.setObject(2, utc(now));
			ps.setLong(3, r.message().id());
		});
		List<Object[]> parts = sent.stream()
			.flatMap(r -> r.providerIds()
				.stream()
				.map(id -> new Object[] { r.message().channel().name(), id, r.message().id() }))
			.toList();
		// A receipt recorded at this very moment must see these parts, or this record its
		// receipt: both take the provider id's lock (in one order), so the second waits
		// for the first to commit and then sees it.
		parts.stream().map(part -> part[0] + ":" + part[1]).sorted().distinct().forEach(this::lockProviderId);
		this.template.batchUpdate(
				"insert into outbox_part (channel, provider_id, message_id) values (?, ?, ?) on conflict do nothing",
				parts);
		for (ChannelKind channel : ChannelKind.values()) {
			List<String> ids = sent.stream()
				.filter(r -> r.message().channel() == channel)
				.flatMap(r -> r.providerIds().stream())
				.toList();
			// Receipts that came before this record (an SMSC can be that quick).
			applyReceipts(channel, ids);
		}
		for (Result r : results) {
			if (r.skipped() != null) {
				this.jdbc.sql("""
						update outbox_message set status = 'SKIPPED', error = :error, locked_until = null
						 where id = :id and status = 'SENDING'
						""").param("error", r.skipped()).param("id", r.message().id()).update();
			}
			else if (r.failure() != null) {
				SendFailure failure = r.failure();
				boolean last = failure.permanent() || r.message().attempts() >= this.properties.maxAttempts();
				Duration wait = failure.retryAfter() != null ? failure.retryAfter() : backoff(r.message().attempts());
				this.jdbc.sql("""
						update outbox_message set status = :status, due_at = case when :last then due_at else :next end,
						       error = :error, locked_until = null
						 where id = :id and status = 'SENDING'
						""")
					.param("status", last ? "FAILED" : "PENDING")
					.param("last", last)
					.param("next", utc(now.plus(wait)))
					.param("error", failure.getMessage())
					.param("id", r.message().id())
					.update();
			}
		}
	}

	/**
	 * The delay before attempt {@code attempts + 1}: the base, doubled each time, at most
	 * 6 h.
	 */
	Duration backoff(int attempts) {
		Duration wait = this.properties.retryBase().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 16));
		return wait.compareTo(Duration.ofHours(6)) > 0 ? Duration.ofHours(6) : wait;
	}

	/** Sends a failed message again now, from the first attempt. */
	/** A message's card, if it has one: whom a retry would write to. */
	public record Addressee(@Nullable Long patientId) {
	}

	public Optional<Addressee> addressee(long id) {
		return this.jdbc.sql("select patient_id from outbox_message where id = :id")
			.param("id", id)
			.query((rs, row) -> new Addressee(rs.getObject(1, Long.class)))
			.optional();
	}

	public boolean retry(long id) {
		return this.jdbc.sql("""
				update outbox_message set status = 'PENDING', attempts = 0, due_at = :now, error = null
				 where id = :id and status in ('FAILED', 'UNDELIVERED')
				""").param("now", utc(this.clock.instant())).param("id", id).update() == 1;
	}

	/**
	 * A delivery receipt: kept once per provider id (a repeated one changes nothing), and
	 * applied to its message now, or when the send is recorded if it came first.
	 * @return whether a message was found
	 */
	public boolean receipt(ChannelKind channel, String providerId, boolean delivered, @Nullable String error) {
		if (providerId.isBlank() || providerId.length() > 100 || providerId.indexOf('\u0000') >= 0) {
			// No provider gives such ids: it is not a receipt for anything sent.
			return false;
		}
		lockProviderId(channel.name() + ":" + providerId);
		this.jdbc
			.sql("""
					insert into outbox_receipt (channel, provider_id, delivered, error) values (:channel, :provider, :delivered, :error)
					on conflict do nothing
					""")
			.param("channel", channel.name())
			.param("provider", providerId)
			.param("delivered", delivered)
			.param("error", error == null || error.length() <= 100 ? error : error.substring(0, 100))
			.update();
		return applyReceipts(channel, List.of(providerId)) > 0;
	}

	private void lockProviderId(String channelAndId) {
		this.jdbc.sql("select pg_advisory_xact_lock(4245, hashtext(:id))")
			.param("id", channelAndId)
			.query()
			.listOfRows();
	}

	private int applyReceipts(ChannelKind channel, List<String> providerIds) {
		if (providerIds.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				update outbox_message m
				   set status = case when r.delivered then 'DELIVERED' else 'UNDELIVERED' end,
				       delivered_at = case when r.delivered then r.received_at end,
				       error = case when r.delivered then null else r.error end
				  from outbox_part p join outbox_receipt r on r.channel = p.channel and r.provider_id = p.provider_id
				 where p.channel = :channel and p.provider_id in (:providers) and m.id = p.message_id
				   and m.status in ('SENT', 'DELIVERED', 'UNDELIVERED')
				""").param("channel", channel.name()).param("providers", providerIds).update();
	}

	static OffsetDateTime utc(Instant at) {
		return at.atOffset(ZoneOffset.UTC);
	}

}
