package dev.klinika.tasks;

/**
 * Whether the login may link a task to a record another module owns (a call, a lead):
 * that module implements it, so that a task form naming another branch's record is
 * refused without tasks reading the other module's tables.
 */
public interface CauseAccess {

	/** The cause type it answers for, as tasks store it: {@code call}, {@code lead}. */
	String type();

	boolean visible(long id);

}
