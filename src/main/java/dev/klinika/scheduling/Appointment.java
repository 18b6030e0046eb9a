package dev.klinika.scheduling;

import org.jspecify.annotations.Nullable;

/**
 * A booked visit: who, with whom, where, when, what for, where it is in its life, and the
 * course or group session it belongs to, if any.
 */
public record Appointment(long id, long branchId, long staffId, @Nullable Long roomId, long patientId, long serviceId,
		TimeSpan time, AppointmentStatus status, @Nullable String cancelReason, int version, @Nullable Long seriesId,
		@Nullable Long groupSessionId) {

	/**
	 * The appointment in its next state, if the move is allowed: no completing a
	 * cancelled visit.
	 */
	Appointment moveTo(AppointmentStatus next) {
		if (!this.status.next().contains(next)) {
			throw new IllegalStateException("An appointment " + this.status + " cannot become " + next);
		}
		return new Appointment(this.id, this.branchId, this.staffId, this.roomId, this.patientId, this.serviceId,
				this.time, next, this.cancelReason, this.version, this.seriesId, this.groupSessionId);
	}

}
