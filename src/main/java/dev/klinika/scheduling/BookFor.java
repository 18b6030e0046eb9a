package dev.klinika.scheduling;

import org.jspecify.annotations.Nullable;

import org.springframework.ui.Model;

import dev.klinika.patients.PatientManagement;

/**
 * The patient a grid books for, when opened from their card ("Записать"): every free time
 * of the day and week grids books this patient.
 */
record BookFor(long id, String name) {

	/**
	 * Puts the patient on the page; a card outside the login's branches, or erased, is
	 * not there (404).
	 */
	static void describe(Model model, PatientManagement cards, @Nullable Long patient) {
		if (patient == null) {
			return;
		}
		var card = cards.require(patient);
		if (card.isErased()) {
			throw new java.util.NoSuchElementException("Patient " + patient + " is erased");
		}
		model.addAttribute("bookFor", new BookFor(card.getId(), card.getFullName()));
	}

}
