package dev.klinika.scheduling;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What happens to appointments, for reminders, tasks, billing and analytics to follow.
 */
public final class AppointmentEvents {

	private AppointmentEvents() {
	}

	/** Anything that happened to one appointment. */
	public sealed interface AppointmentEvent permits AppointmentBooked, AppointmentMoved, AppointmentCancelled,
			AppointmentConfirmed, AppointmentCheckedIn, AppointmentCompleted, AppointmentNoShow {

		long appointment();

		long patient();

	}

	/** A patient was booked. */
	public record AppointmentBooked(long appointment, long patient, long staff, long branch, long service,
			Instant start) implements AppointmentEvent {
	}

	/** An appointment moved to another time or staff member. */
	public record AppointmentMoved(long appointment, long patient, long staff, Instant from,
			Instant to) implements AppointmentEvent {
	}

	/** An appointment was cancelled; its time is free again. */
	public record AppointmentCancelled(long appointment, long patient, long staff, Instant start,
			@Nullable String reason) implements AppointmentEvent {
	}

	/** The patient confirmed. */
	public record AppointmentConfirmed(long appointment, long patient) implements AppointmentEvent {
	}

	/** The patient arrived. */
	public record AppointmentCheckedIn(long appointment, long patient) implements AppointmentEvent {
	}

	/** The visit took place. */
	public record AppointmentCompleted(long appointment, long patient, long staff, long service,
			Instant start) implements AppointmentEvent {
	}

	/** The patient did not come. */
	public record AppointmentNoShow(long appointment, long patient, long staff,
			Instant start) implements AppointmentEvent {
	}

}
