package dev.klinika.care;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.patients.TimelineContributor;
import dev.klinika.patients.TimelineEntry;

/**
 * A patient's prescriptions on their timeline, when they were made, with what they name
 * and their status; each links to its pathway.
 */
@Component
class CareTimeline implements TimelineContributor {

	private final JdbcClient jdbc;

	CareTimeline(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<TimelineEntry> entries(long patientId, Instant before, int limit) {
		return this.jdbc
			.sql("""
					select p.id, p.created_at, p.status, p.created_by,
					       (select string_agg(coalesce(s.name, sp.name) || ' ×' || i.sessions, ', ' order by i.position)
					          from care_item i left join catalog_service_v s on s.id = i.service_id
					          left join organization_specialty_v sp on sp.id = i.specialty_id where i.pathway_id = p.id) as text
					  from care_pathway p
					 where p.patient_id = :patient and p.created_at < :before
					 order by p.created_at desc limit :limit
					""")
			.param("patient", patientId)
			.param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC))
			.param("limit", limit)
			.query((rs, n) -> new TimelineEntry(rs.getObject("created_at", OffsetDateTime.class).toInstant(),
					"PATHWAY_" + rs.getString("status"), rs.getString("text"), List.of(), rs.getString("created_by"),
					"/care/pathways/" + rs.getLong("id")))
			.list();
	}

}
