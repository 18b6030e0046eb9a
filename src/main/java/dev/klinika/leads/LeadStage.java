package dev.klinika.leads;

import java.util.List;

/**
 * Where a lead stands in the funnel, in order; LOST stands aside (with a reason) and can
 * be reopened.
 */
enum LeadStage {

	NEW, IN_PROGRESS, BOOKED, CAME, COURSE_STARTED, COURSE_COMPLETED, CAME_BACK, LOST;

	/** The funnel's stages in order, without LOST. */
	public static final List<LeadStage> FUNNEL = List.of(NEW, IN_PROGRESS, BOOKED, CAME, COURSE_STARTED,
			COURSE_COMPLETED, CAME_BACK);

	/** Still waiting for the clinic: nobody has booked this person yet. */
	public boolean open() {
		return this == NEW || this == IN_PROGRESS;
	}

	/** The stage after this one, if the funnel has one. */
	public LeadStage next() {
		int at = FUNNEL.indexOf(this);
		return at < 0 || at == FUNNEL.size() - 1 ? this : FUNNEL.get(at + 1);
	}

	/**
	 * Whether this stage is further down the funnel than the other (LOST is behind all).
	 */
	public boolean after(LeadStage other) {
		return FUNNEL.indexOf(this) > FUNNEL.indexOf(other);
	}

}
