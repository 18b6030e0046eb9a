package dev.klinika.patients;

import java.time.Instant;
import java.util.List;

/**
 * The extension point of the timeline: a module that knows something about patients
 * (visits, calls, messages, payments, ...) implements it as a bean, and the card shows
 * its entries among everyone else's, newest first.
 */
public interface TimelineContributor {

	/**
	 * At most {@code limit} entries of the patient before {@code before}, newest first.
	 */
	List<TimelineEntry> entries(long patientId, Instant before, int limit);

	/**
	 * What is still open about the patient (a task to do), at the time it is due; none
	 * unless the module has such things.
	 */
	default List<TimelineEntry> open(long patientId) {
		return List.of();
	}

}
