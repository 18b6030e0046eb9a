package dev.klinika.messaging;

import java.util.Map;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Telegram updates by long polling, for a Klinika that Telegram cannot reach by webhook:
 * every 3 seconds one node asks {@code getUpdates} from the stored offset, takes each
 * update (once, by its id) and moves the offset past it.
 */
@Component
class TelegramPolling {

	private static final Logger log = LoggerFactory.getLogger(TelegramPolling.class);

	private final MessagingProperties.Telegram settings;

	private final TelegramSender api;

	private final TelegramUpdates updates;

	private final JdbcClient jdbc;

	TelegramPolling(MessagingProperties properties, TelegramSender api, TelegramUpdates updates, JdbcClient jdbc) {
		this.settings = properties.telegram();
		this.api = api;
		this.updates = updates;
		this.jdbc = jdbc;
	}

	@Bean
	static RecurringTask<Void> telegramPollingJob(TelegramPolling polling) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks.recurring("telegram-polling", FixedDelay.ofSeconds(3))
			.execute((instance, context) -> polling.poll());
	}

	/** Takes the waiting updates; returns how many there were. */
	int poll() {
		if (!this.settings.enabled() || !this.settings.polling()) {
			return 0;
		}
		long offset = this.jdbc.sql("select next_offset from telegram_poll_state where id = 1")
			.query(Long.class)
			.single();
		JsonNode answer;
		try {
			answer = this.api.call("getUpdates", Map.of("offset", offset, "timeout", 0, "limit", 100));
		}
		catch (SendFailure failure) {
			log.warn("Asking Telegram for updates failed, trying again in 3 s: {}", failure.getMessage());
			return 0;
		}
		int taken = 0;
		for (JsonNode update : answer.path("result")) {
			try {
				this.updates.take(update);
			}
			catch (IllegalArgumentException ex) {
				log.warn("A Telegram update without update_id was skipped");
				continue;
			}
			offset = Math.max(offset, update.path("update_id").asLong() + 1);
			taken++;
		}
		this.jdbc.sql("update telegram_poll_state set next_offset = :offset where id = 1")
			.param("offset", offset)
			.update();
		return taken;
	}

}
