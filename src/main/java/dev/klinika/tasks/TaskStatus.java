package dev.klinika.tasks;

/**
 * Where a task is: open, being done, done with an outcome, or cancelled with a reason.
 */
enum TaskStatus {

	OPEN, IN_PROGRESS, DONE, CANCELLED;

	public boolean closed() {
		return this == DONE || this == CANCELLED;
	}

}
