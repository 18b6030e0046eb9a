package dev.klinika.patients;

/** How a consent was given: its proof is of that kind. */
public enum ConsentChannel {

	PAPER, ONLINE_FORM, PHONE, IN_PERSON

}
