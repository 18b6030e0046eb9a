package dev.klinika.tasks;

/** How urgent a task is; lists show the urgent first among those due at once. */
public enum TaskPriority {

	LOW, NORMAL, HIGH, URGENT

}
