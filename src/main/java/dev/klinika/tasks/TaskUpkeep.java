package dev.klinika.tasks;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.klinika.patients.PatientsMerged;
import dev.klinika.scheduling.AppointmentEvents.AppointmentBooked;

/** What other modules' events change in the tasks that are there. */
@Component
class TaskUpkeep {

	private final Tasks tasks;

	private final JdbcClient jdbc;

	TaskUpkeep(Tasks tasks, JdbcClient jdbc) {
		this.tasks = tasks;
		this.jdbc = jdbc;
	}

	/** A booking of the service ends the recall tasks waiting for it. */
	@ApplicationModuleListener
	void on(AppointmentBooked event) {
		this.tasks.closeFor(event.patient(), TaskKind.BOOK, event.service(), Tasks.Outcome.BOOKED,
				event.start().toString());
	}

	/** Tasks follow a merged card to the card that stays. */
	@ApplicationModuleListener
	void on(PatientsMerged merged) {
		this.jdbc.sql("update task set patient_id = :survivor where patient_id = :merged")
			.param("survivor", merged.survivor())
			.param("merged", merged.merged())
			.update();
	}

}
