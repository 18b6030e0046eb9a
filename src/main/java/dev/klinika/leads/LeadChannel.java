package dev.klinika.leads;

/** How an inquiry reached the clinic. */
public enum LeadChannel {

	CALL, FORM, MESSAGE, MANUAL

}
