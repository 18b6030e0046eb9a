package dev.klinika.scheduling;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.klinika.patients.PatientsMerged;

/**
 * Moves the appointments and waiting-list wishes of a merged card to the card that
 * survives. A listener of the publication registry: if the node stops before it runs, it
 * runs after the restart.
 */
@Component
class PatientMergeListener {

	private final JdbcClient jdbc;

	PatientMergeListener(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@ApplicationModuleListener
	void on(PatientsMerged merged) {
		this.jdbc.sql("update appointment set patient_id = :survivor where patient_id = :merged")
			.param("survivor", merged.survivor())
			.param("merged", merged.merged())
			.update();
		this.jdbc.sql("update waiting_entry set patient_id = :survivor where patient_id = :merged")
			.param("survivor", merged.survivor())
			.param("merged", merged.merged())
			.update();
	}

}
