package dev.klinika.patients;

import java.util.Optional;

/**
 * The extension point of the card's sections: a module that follows something of a
 * patient over time (a care pathway, a points balance, ...) implements it as a bean, and
 * the card shows its panel under the visits. Another branch's records stay out of it.
 */
public interface CardPanelContributor {

	/** The panel for the patient, or none when the module has nothing to show. */
	Optional<CardPanel> panel(long patientId);

}
