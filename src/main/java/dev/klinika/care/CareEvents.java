package dev.klinika.care;

import org.jspecify.annotations.Nullable;

/**
 * What happens to a pathway, for the modules that follow it: the rules make their tasks
 * (book the course, a stalled pathway, a missed session, the re-examination), the leads
 * funnel moves its stages. Each names the consultant in charge, as a login when the
 * consultant has one.
 */
public final class CareEvents {

	private CareEvents() {
	}

	/** A pathway of a patient, whoever is in charge of it. */
	public sealed interface PathwayEvent permits PathwayPrescribed, PathwayStarted, PathwayStalled,
			PathwaySessionMissed, PathwayReexamDue, PathwayCompleted {

		long pathway();

		long patient();

		long branch();

		/** The login of the consultant in charge, or null when there is none. */
		@Nullable Long consultantUser();

	}

	/**
	 * A doctor prescribed: someone must book the course. {@code items} names its lines.
	 */
	public record PathwayPrescribed(long pathway, long patient, long branch, @Nullable Long consultantUser,
			String items, @Nullable Long firstService) implements PathwayEvent {
	}

	/** The first session of a pathway took place. */
	public record PathwayStarted(long pathway, long patient, long branch, @Nullable Long consultantUser,
			long appointment) implements PathwayEvent {
	}

	/**
	 * A pathway waits for its next booking longer than the clinic allows; {@code stall}
	 * counts its stalls, so that each makes its task once.
	 */
	public record PathwayStalled(long pathway, long patient, long branch, @Nullable Long consultantUser, int stall,
			String next, @Nullable Long nextService) implements PathwayEvent {
	}

	/** The patient did not come to a session of the pathway: it is to be booked again. */
	public record PathwaySessionMissed(long pathway, long patient, long branch, @Nullable Long consultantUser,
			long appointment, long serviceId, String service) implements PathwayEvent {
	}

	/** Every session attended and the re-examination not booked: it is to be booked. */
	public record PathwayReexamDue(long pathway, long patient, long branch, @Nullable Long consultantUser, long service,
			String name) implements PathwayEvent {
	}

	/**
	 * The course is done: every session attended (the re-examination booked or asked
	 * for).
	 */
	public record PathwayCompleted(long pathway, long patient, long branch, @Nullable Long consultantUser,
			long appointment) implements PathwayEvent {
	}

	/**
	 * A consultant asks, with one click, for a message to the patient about the next
	 * step; {@code step} (the step that records it) keys the message, so it is written
	 * once.
	 */
	public record PathwayMessageRequested(long pathway, long patient, long step, String next) {
	}

}
