package dev.klinika.scheduling;

import org.springframework.stereotype.Component;

import dev.klinika.security.ScopedRecords;

/**
 * An appointment named by id in a URL, a form or a JSON body, as the login may see it: in
 * one of its branches, else {@link ScopedRecords.NotInScope} (answered 404). The one
 * check every screen, API and other module uses.
 */
@Component
public class VisibleAppointments {

	static final String BRANCH_OF_APPOINTMENT = "select branch_id from appointment where id = :id";

	private final ScopedRecords scoped;

	private final Booking booking;

	VisibleAppointments(ScopedRecords scoped, Booking booking) {
		this.scoped = scoped;
		this.booking = booking;
	}

	public Appointment require(long id) {
		this.scoped.require("appointment", id, BRANCH_OF_APPOINTMENT);
		return this.booking.find(id).orElseThrow(() -> new ScopedRecords.NotInScope("appointment", id));
	}

	public boolean visible(long id) {
		return this.scoped.visible(id, BRANCH_OF_APPOINTMENT);
	}

}
