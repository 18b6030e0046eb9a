package dev.klinika;

import java.time.Clock;
import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.IncompleteEventPublications;

/**
 * Delivers again what a module's listener failed to take: every event between modules is
 * kept in the publication log with the transaction that published it, and stays there,
 * incomplete, when its listener fails (a reminder that could not be planned, a rule that
 * could not fire). Once a minute, on one node, publications left incomplete for longer
 * than {@code klinika.events.retry-after} (2 minutes by default, so that a delivery still
 * running is not doubled) are resubmitted; after a restart the outstanding ones are
 * resubmitted at once ({@code republish-outstanding-events-on-restart}). Listeners are
 * idempotent, so a second delivery does nothing twice.
 */
@Configuration(proxyBeanMethods = false)
class EventRetries {

	@Bean
	static RecurringTask<Void> eventRetriesJob(IncompleteEventPublications incomplete,
			@Value("${klinika.events.retry-after:2m}") Duration after, Clock clock) {
		return Tasks.recurring("event-retries", FixedDelay.ofMinutes(1))
			.execute((instance, context) -> incomplete.resubmitIncompletePublications(
					publication -> publication.getPublicationDate().isBefore(clock.instant().minus(after))));
	}

}
