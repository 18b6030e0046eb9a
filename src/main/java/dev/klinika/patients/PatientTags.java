package dev.klinika.patients;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A card's tags for other modules (an automation rule that tags a patient, or one that
 * looks for a tag): the tag is matched without regard to case and stored trimmed.
 */
@Component
public class PatientTags {

	private final JdbcClient jdbc;

	PatientTags(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Tags the card; answers whether the tag is new on it. */
	@Transactional
	public boolean add(long patientId, String tag) {
		return this.jdbc.sql("insert into patient_tag (patient_id, tag) values (:patient, :tag) on conflict do nothing")
			.param("patient", patientId)
			.param("tag", tag.strip())
			.update() > 0;
	}

	@Transactional(readOnly = true)
	public boolean has(long patientId, String tag) {
		return this.jdbc
			.sql("select count(*) > 0 from patient_tag where patient_id = :patient and lower(tag) = lower(:tag)")
			.param("patient", patientId)
			.param("tag", tag.strip())
			.query(Boolean.class)
			.single();
	}

}
