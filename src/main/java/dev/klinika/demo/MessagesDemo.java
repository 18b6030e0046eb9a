package dev.klinika.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.messaging.ChannelKind;
import dev.klinika.messaging.Inbox;
import dev.klinika.messaging.Reminders;

/**
 * The demo clinic's messages: reminders for the coming two weeks of visits (the sandbox
 * "sends" them as they fall due), and a few replies in the inbox, one from a number
 * nobody knows.
 */
@Component
@Order(7)
class MessagesDemo implements DemoStep {

	private static final Logger log = LoggerFactory.getLogger(MessagesDemo.class);

	private final Reminders reminders;

	private final Inbox inbox;

	private final JdbcClient jdbc;

	private final Clock clock;

	MessagesDemo(Reminders reminders, Inbox inbox, JdbcClient jdbc, Clock clock) {
		this.reminders = reminders;
		this.inbox = inbox;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void generate(DemoContext context) {
		Instant now = this.clock.instant();
		int planned = this.reminders.planUpcoming(now, now.plus(Duration.ofDays(14)));
		var phones = this.jdbc.sql("""
				select number from patients_phone_v where main order by patient_id limit 3
				""").query(String.class).list();
		String[] replies = { "Подтверждаю, приду", "Можно перенести на вечер?", "СТОП" };
		for (int i = 0; i < phones.size(); i++) {
			this.inbox.receive(ChannelKind.SMS, "demo:" + i, phones.get(i), replies[i], null);
		}
		this.inbox.receive(ChannelKind.SMS, "demo:unknown", "+79990001122",
				"Здравствуйте, сколько стоит первичный приём терапевта?", null);
		log.info("Demo messages: {} reminders planned for the next 14 days", planned);
	}

}
