package dev.klinika.scheduling;

import org.springframework.stereotype.Component;

import dev.klinika.security.CurrentUser;
import dev.klinika.security.ScopedRecords;

/**
 * An appointment named by id in a URL, a form or a JSON body, as the login may see it: in
 * one of its branches, else {@link ScopedRecords.NotInScope} (answered 404). The one
 * check every screen, API and other module uses.
 */
@Component
public class VisibleAppointments {

	private final Booking booking;

	private final CurrentUser currentUser;

	VisibleAppointments(Booking booking, CurrentUser currentUser) {
		this.booking = booking;
		this.currentUser = currentUser;
	}

	/** The appointment, read once: its row says its branch. */
	public Appointment require(long id) {
		return this.booking.find(id)
			.filter(appointment -> this.currentUser.scope().includes(appointment.branchId()))
			.orElseThrow(() -> new ScopedRecords.NotInScope("appointment", id));
	}

}
