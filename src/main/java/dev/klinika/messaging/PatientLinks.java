package dev.klinika.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.AppointmentStatus;
import dev.klinika.scheduling.AppointmentLifecycle;
import dev.klinika.scheduling.Booking;
import dev.klinika.security.Role;
import dev.klinika.tasks.TaskKind;
import dev.klinika.tasks.Tasks;

/**
 * What a patient does with a one-tap link: confirm the visit, or cancel it, which frees
 * the time at once (the grid redraws on every node, the waiting list is offered the time)
 * and gives the branch's admins a task to offer another time.
 */
@Service
class PatientLinks {

	private final VisitLinks links;

	private final Booking booking;

	private final AppointmentLifecycle lifecycle;

	private final Tasks tasks;

	private final MessagingPolicy policy;

	private final MessageSource messages;

	private final Composer composer;

	private final Clock clock;

	PatientLinks(VisitLinks links, Booking booking, AppointmentLifecycle lifecycle, Tasks tasks, MessagingPolicy policy,
			MessageSource messages, Composer composer, Clock clock) {
		this.links = links;
		this.composer = composer;
		this.booking = booking;
		this.lifecycle = lifecycle;
		this.tasks = tasks;
		this.policy = policy;
		this.messages = messages;
		this.clock = clock;
	}

	/**
	 * The appointment a link opens, checked once: empty when it has expired.
	 * @throws LinkForged when Klinika never signed it
	 */
	public Optional<Appointment> open(String token) {
		VisitLinks.Checked checked = this.links.checkVisit(token, this.clock.instant());
		if (checked instanceof VisitLinks.Forged) {
			throw new LinkForged();
		}
		return checked instanceof VisitLinks.Valid valid ? this.booking.find(valid.id()) : Optional.empty();
	}

	/** A link Klinika did not sign, or one altered on the way. */
	public static class LinkForged extends RuntimeException {

		LinkForged() {
			super("forged visit link");
		}

	}

	/** A visit as the patient's page shows it, in the branch's time. */
	public record Summary(long appointment, String status, ZonedDateTime start, String service, String staff,
			String branch, String address) {
	}

	public Optional<Summary> summary(long appointment) {
		return Optional.ofNullable(this.composer.visits(List.of(appointment)).get(appointment))
			.map(visit -> new Summary(appointment, visit.status(), visit.start().atZone(visit.zone()), visit.service(),
					visit.staff(), visit.branch(), visit.address()));
	}

	/** Confirms a visit a link opened; a visit already confirmed stays so. */
	public Appointment confirm(Appointment appointment) {
		if (appointment.status() == AppointmentStatus.BOOKED) {
			return this.lifecycle.confirm(appointment.id());
		}
		return appointment;
	}

	/**
	 * Cancels a visit a link opened, at the patient's request; a visit already cancelled
	 * stays so.
	 */
	@Transactional
	public Appointment cancel(Appointment appointment) {
		if (appointment.status() != AppointmentStatus.BOOKED && appointment.status() != AppointmentStatus.CONFIRMED) {
			return appointment;
		}
		Appointment cancelled = this.lifecycle.cancel(appointment.id(), "PATIENT_ASKED");
		Locale locale = Locale.forLanguageTag(this.policy.policy().locale());
		Instant now = this.clock.instant();
		this.tasks.createFor(Tasks.NewTask
			.forRole(Role.ADMIN, appointment.branchId(),
					this.messages.getMessage("messaging.task.cancelledByLink", null, locale), TaskKind.BOOK,
					now.plus(Duration.ofMinutes(30)))
			.about(appointment.patientId())
			.causedBy("appointment", appointment.id())
			.forService(appointment.serviceId()));
		return cancelled;
	}

}
