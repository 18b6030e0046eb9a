package dev.klinika.patients;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Records {@link PatientsMerged} as another module would receive it. */
@Component
class MergeEvents {

	private final List<PatientsMerged> received = new CopyOnWriteArrayList<>();

	@EventListener
	void on(PatientsMerged event) {
		this.received.add(event);
	}

	List<PatientsMerged> received() {
		return this.received;
	}

}
