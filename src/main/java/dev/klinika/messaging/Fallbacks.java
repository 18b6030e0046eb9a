package dev.klinika.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * When a channel gives up on a visit's message (the chat blocked the bot, the number was
 * refused, the last retry failed), the next channel in the patient's order gets it, once
 * each: keys {@code <key>#<CHANNEL>}.
 */
@Service
class Fallbacks {

	private final JdbcClient jdbc;

	private final Composer composer;

	private final Outbox outbox;

	private final Clock clock;

	Fallbacks(JdbcClient jdbc, Composer composer, Outbox outbox, Clock clock) {
		this.jdbc = jdbc;
		this.composer = composer;
		this.outbox = outbox;
		this.clock = clock;
	}

	/**
	 * Tries the next channel for a failed message of a visit; false when there is none.
	 */
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public boolean after(long failedMessage) {
		record Failed(String key, String event, String purpose, Long appointment, Long patient) {
		}
		Failed failed = this.jdbc.sql("""
				select idempotency_key key, event, purpose, appointment_id appointment, patient_id patient
				  from outbox_message where id = :id and status = 'FAILED'
				""").param("id", failedMessage).query(Failed.class).optional().orElse(null);
		if (failed == null || failed.appointment() == null || failed.patient() == null
				|| !Reminders.VISIT_EVENTS.contains(failed.event())) {
			return false;
		}
		String base = failed.key().contains("#") ? failed.key().substring(0, failed.key().indexOf('#')) : failed.key();
		List<String> tried = this.jdbc.sql("""
				select channel from outbox_message
				 where (idempotency_key = :base or idempotency_key like :prefix) and channel is not null
				""").param("base", base).param("prefix", base + "#%").query(String.class).list();
		Set<ChannelKind> exclude = EnumSet.noneOf(ChannelKind.class);
		tried.forEach(channel -> exclude.add(ChannelKind.valueOf(channel)));
		Instant now = this.clock.instant();
		var visit = this.composer.visits(List.of(failed.appointment())).get(failed.appointment());
		var contact = this.composer.contacts(List.of(failed.patient())).get(failed.patient());
		if (visit == null || contact == null || !visit.start().isAfter(now) || !visit.expected()) {
			return false;
		}
		var context = this.composer.context(now);
		var route = this.composer.route(context.policy(), contact, exclude);
		if (route.isEmpty()) {
			return false;
		}
		var draft = this.composer.compose(context, contact, visit, failed.event(), Purpose.valueOf(failed.purpose()),
				base + "#" + route.get().channel(), now, visit.start(), exclude);
		return draft.status() == MessageStatus.PENDING && this.outbox.add(List.of(draft)) == 1;
	}

}
