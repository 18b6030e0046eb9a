package dev.klinika.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.scheduling.AppointmentEvents.AppointmentBooked;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCheckedIn;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCompleted;
import dev.klinika.scheduling.AppointmentEvents.AppointmentMoved;
import dev.klinika.scheduling.AppointmentEvents.AppointmentNoShow;

/**
 * Reminders of visits, planned after the transaction that books, moves or cancels the
 * visit commits: a booking writes its reminders (and, if the clinic wants it, an
 * acknowledgement) to the outbox; a move takes the pending ones back and plans the new
 * time; a cancellation, a no-show or an arrival takes them back. The event is kept in the
 * publication log with the booking, so a failure here never refuses a booking and never
 * loses its reminders: the publication stays incomplete and is delivered again (the
 * application's event retries). Each listener takes the visit's lock first, so that a
 * booking's and a move's reminders are planned one after the other whatever order their
 * deliveries run in.
 */
@Service
@Transactional
public class Reminders {

	/** The events whose messages belong to a visit's time. */
	static final List<String> VISIT_EVENTS = List.of("REMINDER", "BOOKED");

	/** A reminder due a little in the past (the booking took a moment) still goes. */
	private static final Duration GRACE = Duration.ofMinutes(5);

	private final Composer composer;

	private final Outbox outbox;

	private final MessagingPolicy policy;

	private final JdbcClient jdbc;

	private final Clock clock;

	Reminders(Composer composer, Outbox outbox, MessagingPolicy policy, JdbcClient jdbc, Clock clock) {
		this.composer = composer;
		this.outbox = outbox;
		this.policy = policy;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@ApplicationModuleListener
	void on(AppointmentBooked event) {
		lock(event.appointment());
		plan(List.of(event.appointment()), this.policy.policy().sendBooked());
	}

	@ApplicationModuleListener
	void on(AppointmentMoved event) {
		lock(event.appointment());
		this.outbox.withdraw(event.appointment(), List.of("REMINDER"));
		plan(List.of(event.appointment()), false);
	}

	@ApplicationModuleListener
	void on(AppointmentCancelled event) {
		lock(event.appointment());
		this.outbox.withdraw(event.appointment(), VISIT_EVENTS);
	}

	@ApplicationModuleListener
	void on(AppointmentNoShow event) {
		lock(event.appointment());
		this.outbox.withdraw(event.appointment(), VISIT_EVENTS);
	}

	@ApplicationModuleListener
	void on(AppointmentCheckedIn event) {
		lock(event.appointment());
		this.outbox.withdraw(event.appointment(), VISIT_EVENTS);
	}

	@ApplicationModuleListener
	void on(AppointmentCompleted event) {
		lock(event.appointment());
		this.outbox.withdraw(event.appointment(), VISIT_EVENTS);
	}

	/** One visit's reminders are planned by one delivery at a time. */
	private void lock(long appointment) {
		this.jdbc.sql("select pg_advisory_xact_lock(4245, :id)").param("id", (int) appointment).query().listOfRows();
	}

	/**
	 * Plans the reminders of these appointments (those still ahead and held), and with
	 * {@code acknowledge} a "you are booked" message now; returns the rows written.
	 */
	public int plan(Collection<Long> appointments, boolean acknowledge) {
		Instant now = this.clock.instant();
		Composer.Context context = this.composer.context(now);
		List<MessagingPolicy.ReminderRule> rules = this.policy.rules();
		Map<Long, Composer.Visit> visits = this.composer.visits(appointments);
		Map<Long, Composer.Contact> contacts = this.composer
			.contacts(visits.values().stream().map(Composer.Visit::patient).distinct().toList());
		List<Outbox.Draft> drafts = new ArrayList<>();
		for (Composer.Visit visit : visits.values()) {
			Composer.Contact contact = contacts.get(visit.patient());
			if (contact == null || !visit.expected() || !visit.start().isAfter(now)) {
				continue;
			}
			long epoch = visit.start().getEpochSecond();
			if (acknowledge) {
				drafts.add(this.composer.compose(context, contact, visit, "BOOKED", Purpose.SERVICE,
						"booked:" + visit.appointment() + ":" + epoch, now, visit.start(), Set.of()));
			}
			for (MessagingPolicy.ReminderRule rule : rules) {
				if (!rule.enabled() || (rule.categoryId() != null && !rule.categoryId().equals(visit.category()))) {
					continue;
				}
				Instant due = due(rule, visit.start(), Composer.zoneOf(contact, visit));
				if (due.isBefore(now.minus(GRACE)) || !due.isBefore(visit.start())) {
					continue;
				}
				drafts.add(this.composer.compose(context, contact, visit, "REMINDER", Purpose.REMINDER,
						"reminder:" + visit.appointment() + ":" + rule.id() + ":" + epoch,
						due.isBefore(now) ? now : due, visit.start(), Set.of()));
			}
		}
		return this.outbox.add(drafts);
	}

	/**
	 * Plans the reminders of every held appointment starting in the window, in batches
	 * (the demo's first start, a clinic that turned reminders on, the benchmark); keys
	 * make a second run write nothing.
	 */
	public int planUpcoming(Instant from, Instant to) {
		List<Long> ids = this.jdbc.sql("""
				select id from scheduling_appointment_v
				 where lower(during) >= :from and lower(during) < :to and expected
				 order by lower(during)
				""").param("from", Outbox.utc(from)).param("to", Outbox.utc(to)).query(Long.class).list();
		int written = 0;
		for (int i = 0; i < ids.size(); i += 2000) {
			written += plan(ids.subList(i, Math.min(ids.size(), i + 2000)), false);
		}
		return written;
	}

	static Instant due(MessagingPolicy.ReminderRule rule, Instant start, ZoneId zone) {
		if ("DAY_BEFORE".equals(rule.kind()) && rule.atTime() != null) {
			return start.atZone(zone).toLocalDate().minusDays(1).atTime(rule.atTime()).atZone(zone).toInstant();
		}
		return start.minus(Duration.ofMinutes(rule.minutesBefore() == null ? 120 : rule.minutesBefore()));
	}

}
