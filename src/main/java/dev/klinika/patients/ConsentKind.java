package dev.klinika.patients;

/** What a patient consented to under 152-FZ. */
public enum ConsentKind {

	PERSONAL_DATA, MARKETING, MEDICAL_INTERVENTION

}
