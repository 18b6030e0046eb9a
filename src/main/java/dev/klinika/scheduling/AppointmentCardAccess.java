package dev.klinika.scheduling;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.patients.CardAccess;
import dev.klinika.security.BranchScope;

/** A branch where a patient has an appointment may open the patient's card. */
@Component
class AppointmentCardAccess implements CardAccess {

	private final JdbcClient jdbc;

	AppointmentCardAccess(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean grants(long patientId, BranchScope scope) {
		return this.jdbc.sql("""
				select exists (select 1 from appointment where patient_id = :patient and (:all or branch_id in (:ids)))
				""")
			.param("patient", patientId)
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.query(Boolean.class)
			.single();
	}

}
