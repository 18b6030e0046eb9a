package dev.klinika.scheduling;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an appointment is in its life; every screen shows these states in the same
 * colours.
 */
public enum AppointmentStatus {

	BOOKED, CONFIRMED, CHECKED_IN, IN_PROGRESS, COMPLETED, NO_SHOW, CANCELLED;

	/** The states an appointment may move to from this one. */
	public Set<AppointmentStatus> next() {
		return switch (this) {
			case BOOKED -> EnumSet.of(CONFIRMED, CHECKED_IN, NO_SHOW, CANCELLED);
			case CONFIRMED -> EnumSet.of(CHECKED_IN, NO_SHOW, CANCELLED);
			case CHECKED_IN -> EnumSet.of(IN_PROGRESS, COMPLETED, CANCELLED);
			case IN_PROGRESS -> EnumSet.of(COMPLETED);
			case COMPLETED, NO_SHOW, CANCELLED -> EnumSet.noneOf(AppointmentStatus.class);
		};
	}

	/**
	 * Whether the appointment takes its staff member's and room's time: every state but
	 * CANCELLED (the database's exclusion constraints use the same rule).
	 */
	public boolean holdsTime() {
		return this != CANCELLED;
	}

	/**
	 * Whether the patient is still expected (booked or confirmed): the states a move, a
	 * reminder or a confirmation applies to. {@code scheduling_appointment_v.expected}.
	 */
	public boolean movable() {
		return this == BOOKED || this == CONFIRMED;
	}

	/** Whether the visit is not finished yet: expected, arrived or in the chair. */
	public boolean open() {
		return movable() || this == CHECKED_IN || this == IN_PROGRESS;
	}

}
