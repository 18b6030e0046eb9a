package dev.klinika.patients;

/**
 * How a relative is related to the patient: the mother of a child, a guardian of a ward.
 */
enum Relation {

	MOTHER, FATHER, GUARDIAN, SPOUSE, OTHER

}
