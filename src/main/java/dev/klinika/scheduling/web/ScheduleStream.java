package dev.klinika.scheduling.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Controller;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.AppointmentEvents;
import dev.klinika.scheduling.Booking;
import dev.klinika.security.CurrentUser;

/**
 * Server-sent events for open day grids: when an appointment of a branch is booked,
 * moved, cancelled or changes state, every grid of that branch on this node hears
 * "changed" within a moment and redraws itself. (Across several nodes this needs
 * PostgreSQL LISTEN/NOTIFY; not yet.)
 */
@Controller
class ScheduleStream {

	/** An emitter lives this long; the browser's EventSource reconnects by itself. */
	static final long TIMEOUT = 30 * 60 * 1000L;

	private final Map<Long, List<SseEmitter>> byBranch = new ConcurrentHashMap<>();

	private final CurrentUser currentUser;

	private final Booking booking;

	ScheduleStream(CurrentUser currentUser, Booking booking) {
		this.currentUser = currentUser;
		this.booking = booking;
	}

	@GetMapping("/scheduling/events")
	SseEmitter subscribe(@RequestParam long branch) throws IOException {
		if (!this.currentUser.scope().includes(branch)) {
			throw new java.util.NoSuchElementException("Branch " + branch + " is outside the login's branches");
		}
		SseEmitter emitter = new SseEmitter(TIMEOUT);
		List<SseEmitter> emitters = this.byBranch.computeIfAbsent(branch, key -> new CopyOnWriteArrayList<>());
		emitters.add(emitter);
		emitter.onCompletion(() -> emitters.remove(emitter));
		emitter.onTimeout(() -> emitters.remove(emitter));
		emitter.onError(error -> emitters.remove(emitter));
		emitter.send(SseEmitter.event().name("ready").data("ready"));
		return emitter;
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
	void on(AppointmentEvents.AppointmentBooked event) {
		changed(event.branch(), event.appointment());
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
	void on(AppointmentEvents.AppointmentMoved event) {
		branchOf(event.appointment());
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
	void on(AppointmentEvents.AppointmentCancelled event) {
		branchOf(event.appointment());
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
	void on(AppointmentEvents.AppointmentConfirmed event) {
		branchOf(event.appointment());
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
	void on(AppointmentEvents.AppointmentCheckedIn event) {
		branchOf(event.appointment());
	}

	private void branchOf(long appointment) {
		// Nobody has a grid open: no need to look the appointment up on every change.
		if (this.byBranch.values().stream().allMatch(List::isEmpty)) {
			return;
		}
		this.booking.find(appointment).map(Appointment::branchId).ifPresent(branch -> changed(branch, appointment));
	}

	private void changed(long branch, long appointment) {
		for (SseEmitter emitter : this.byBranch.getOrDefault(branch, List.of())) {
			try {
				emitter.send(SseEmitter.event().name("changed").data(String.valueOf(appointment)));
			}
			catch (IOException | IllegalStateException ex) {
				emitter.completeWithError(ex);
			}
		}
	}

}
