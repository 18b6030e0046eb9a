package dev.klinika.scheduling;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCheckedIn;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCompleted;
import dev.klinika.scheduling.AppointmentEvents.AppointmentConfirmed;
import dev.klinika.scheduling.AppointmentEvents.AppointmentNoShow;
import dev.klinika.security.AuditLog;
import dev.klinika.shared.ConcurrentChange;

/**
 * An appointment's life after it is booked: confirmed, arrived, in the chair, done, a
 * no-show or cancelled, each only from the states {@link AppointmentStatus#next()}
 * allows, audited, and published as an {@link AppointmentEvents} event in the same
 * transaction. Booking and moving are {@link Booking}'s.
 */
@Service
public class AppointmentLifecycle {

	private final Booking booking;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	/** One try: its own transaction, or a savepoint inside a caller's (a course). */
	private final TransactionTemplate attempt;

	AppointmentLifecycle(Booking booking, JdbcClient jdbc, AuditLog audit, ApplicationEventPublisher events,
			TransactionTemplate transaction) {
		this.booking = booking;
		this.jdbc = jdbc;
		this.audit = audit;
		this.events = events;
		this.attempt = Booking.attempts(transaction);
	}

	public Appointment confirm(long id) {
		return change(id, AppointmentStatus.CONFIRMED, null, done -> new AppointmentConfirmed(id, done.patientId()));
	}

	public Appointment checkIn(long id) {
		return change(id, AppointmentStatus.CHECKED_IN, null, done -> new AppointmentCheckedIn(id, done.patientId()));
	}

	public Appointment start(long id) {
		return change(id, AppointmentStatus.IN_PROGRESS, null, null);
	}

	public Appointment complete(long id) {
		return change(id, AppointmentStatus.COMPLETED, null, done -> new AppointmentCompleted(id, done.patientId(),
				done.staffId(), done.serviceId(), done.time().start()));
	}

	public Appointment markNoShow(long id) {
		return change(id, AppointmentStatus.NO_SHOW, null,
				done -> new AppointmentNoShow(id, done.patientId(), done.staffId(), done.time().start()));
	}

	/** Cancels with a reason from the clinic's list; the time is free again at once. */
	public Appointment cancel(long id, String reason) {
		CancelReason.of(reason);
		return change(id, AppointmentStatus.CANCELLED, reason,
				done -> new AppointmentCancelled(id, done.patientId(), done.staffId(), done.time().start(), reason));
	}

	/**
	 * Moves the appointment to its next state and publishes what happened in the same
	 * transaction, so that the modules listening after the commit (reminders, tasks) hear
	 * it exactly when it is true.
	 */
	private Appointment change(long id, AppointmentStatus next, @Nullable String reason,
			java.util.function.@Nullable Function<Appointment, Object> event) {
		// A new row version is checked against the exclusion constraints again; a booking
		// of
		// the same time in flight may deadlock with it, and PostgreSQL aborts one: try
		// again.
		for (int attempt = 1;; attempt++) {
			try {
				return changeOnce(id, next, reason, event);
			}
			catch (org.springframework.dao.PessimisticLockingFailureException ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	private Appointment changeOnce(long id, AppointmentStatus next, @Nullable String reason,
			java.util.function.@Nullable Function<Appointment, Object> event) {
		return this.attempt.execute(status -> {
			Appointment current = this.booking.find(id).orElseThrow();
			Appointment changed = current.moveTo(next);
			int updated = this.jdbc.sql("""
					update appointment set status = :status, cancel_reason = coalesce(:reason, cancel_reason),
					       version = version + 1
					 where id = :id and version = :version
					""")
				.param("status", changed.status().name())
				.param("reason", reason)
				.param("id", id)
				.param("version", current.version())
				.update();
			if (updated == 0) {
				throw new ConcurrentChange("appointment " + id + " was changed by someone else");
			}
			this.audit.record("APPOINTMENT_" + next, "appointment", id, reason);
			Appointment done = this.booking.find(id).orElseThrow();
			if (event != null) {
				this.events.publishEvent(event.apply(done));
			}
			return done;
		});
	}

}
