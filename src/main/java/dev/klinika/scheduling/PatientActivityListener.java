package dev.klinika.scheduling;

import java.time.Clock;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.klinika.patients.PatientActivity;
import dev.klinika.scheduling.AppointmentEvents.AppointmentEvent;

/**
 * Anything done about a patient's visit (booked, moved, confirmed, came, ...) is the
 * clinic dealing with them now: their card's last activity moves, in the same
 * transaction.
 */
@Component
class PatientActivityListener {

	private final PatientActivity activity;

	private final Clock clock;

	PatientActivityListener(PatientActivity activity, Clock clock) {
		this.activity = activity;
		this.clock = clock;
	}

	@EventListener
	void on(AppointmentEvent event) {
		this.activity.touch(event.patient(), this.clock.instant());
	}

}
