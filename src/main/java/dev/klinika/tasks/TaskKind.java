package dev.klinika.tasks;

/** What kind of work a task is. */
public enum TaskKind {

	CALL_BACK, BOOK, REMIND, HAND_OFF, FOLLOW_UP, COMPLAINT, CUSTOM

}
