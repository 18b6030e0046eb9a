package dev.klinika.tasks;

import java.io.Serial;

/**
 * A task change that breaks a rule; {@link #reason()} is a message key suffix:
 * task.refused.&lt;reason&gt;.
 */
class TaskRefused extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String reason;

	public TaskRefused(String reason) {
		super(reason);
		this.reason = reason;
	}

	public String reason() {
		return this.reason;
	}

}
