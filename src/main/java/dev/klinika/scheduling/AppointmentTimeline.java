package dev.klinika.scheduling;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.patients.TimelineContributor;
import dev.klinika.patients.TimelineEntry;

/**
 * A patient's visits on their timeline, at the visit's time, with the service, the
 * specialist and where the visit is in its life; each links to the visit's page.
 */
@Component
class AppointmentTimeline implements TimelineContributor {

	private final JdbcClient jdbc;

	AppointmentTimeline(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<TimelineEntry> entries(long patientId, Instant before, int limit) {
		return this.jdbc
			.sql("""
					select a.id, lower(a.during) as s, a.status, sv.name || ' — ' || st.short_name
					       || ', ' || b.name as text, a.created_by
					  from appointment a join catalog_service_v sv on sv.id = a.service_id join organization_staff_v st on st.id = a.staff_id
					  join organization_branch_v b on b.id = a.branch_id
					 where a.patient_id = :patient and lower(a.during) < :before
					 order by lower(a.during) desc limit :limit
					""")
			.param("patient", patientId)
			.param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC))
			.param("limit", limit)
			.query((rs, n) -> new TimelineEntry(rs.getObject("s", OffsetDateTime.class).toInstant(),
					"VISIT_" + rs.getString("status"), rs.getString("text"), List.of(), rs.getString("created_by"),
					"/scheduling/appointments/" + rs.getLong("id")))
			.list();
	}

}
