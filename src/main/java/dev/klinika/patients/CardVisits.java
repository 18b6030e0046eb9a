package dev.klinika.patients;

import java.time.Instant;
import java.util.Set;

/** How the card sorts a patient's visits and contacts out of the timeline. */
final class CardVisits {

	/** Past visits the card lists before "the whole history". */
	static final int PAST = 10;

	private static final Set<String> OVER = Set.of("VISIT_COMPLETED", "VISIT_NO_SHOW", "VISIT_CANCELLED");

	private CardVisits() {
	}

	/** A visit as the card lists it: ahead (highlighted) or past. */
	public record Shown(TimelineEntry visit, boolean ahead) {

		/** The appointment's state, from the entry's kind (VISIT_BOOKED: BOOKED). */
		public String status() {
			return this.visit.kind().substring("VISIT_".length());
		}

	}

	/** The visits ahead, soonest first, then the past ones, latest first. */
	static java.util.List<Shown> listed(java.util.List<TimelineEntry> upcoming, java.util.List<TimelineEntry> past) {
		return java.util.stream.Stream
			.concat(upcoming.stream().map(v -> new Shown(v, true)), past.stream().map(v -> new Shown(v, false)))
			.toList();
	}

	/**
	 * A visit still to come or going on: not over, and not one whose day has long passed
	 * (a booking nobody closed stays in the past, with its status).
	 */
	static boolean ahead(TimelineEntry visit, Instant now) {
		return !OVER.contains(visit.kind()) && visit.at().isAfter(now.minus(java.time.Duration.ofHours(12)));
	}

	/** A call or a message to or from the patient. */
	static boolean contact(String kind) {
		return kind.startsWith("CALL_") || kind.equals("MESSAGE_IN") || kind.equals("MESSAGE_SENT")
				|| kind.equals("MESSAGE_DELIVERED");
	}

}
