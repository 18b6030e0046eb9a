package dev.klinika.scheduling;

import java.io.Serial;
import java.time.Instant;
import java.util.List;

/**
 * "This time was just taken": another booking got there first; here are the nearest free
 * times.
 */
class SlotTaken extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final transient List<Instant> alternatives;

	SlotTaken(List<Instant> alternatives) {
		super("This time was just taken");
		this.alternatives = List.copyOf(alternatives);
	}

	public List<Instant> alternatives() {
		return this.alternatives;
	}

}
