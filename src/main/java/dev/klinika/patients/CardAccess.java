package dev.klinika.patients;

import dev.klinika.security.BranchScope;

/**
 * Another reason a login may open a card besides its home branch: scheduling grants it to
 * the branches where the patient has appointments. Modules implement it as beans.
 */
public interface CardAccess {

	boolean grants(long patientId, BranchScope scope);

}
