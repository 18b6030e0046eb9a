package dev.klinika.leads;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.patients.TimelineContributor;
import dev.klinika.patients.TimelineEntry;

/**
 * A patient's way through the funnel on their timeline: the inquiry (with its source and
 * question), each stage it reached, and a loss with its reason; each entry opens the
 * lead.
 */
@Component
class LeadTimeline implements TimelineContributor {

	private final JdbcClient jdbc;

	LeadTimeline(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<TimelineEntry> entries(long patientId, Instant before, int limit) {
		return this.jdbc.sql("""
				select g.lead_id, g.to_stage, g.at, g.by_user, g.auto,
				       case when g.to_stage = 'NEW' then concat_ws(' · ', coalesce(s.name, l.utm_source), l.interest)
				            when g.to_stage = 'LOST' then concat_ws(': ', r.name, l.lost_comment) end as text
				  from lead_stage_log g join lead l on l.id = g.lead_id
				  left join patients_source_v s on s.id = l.source_id
				  left join lost_reason r on r.id = l.lost_reason_id
				 where l.patient_id = :patient and g.at < :before
				 order by g.at desc, g.id desc limit :limit
				""")
			.param("patient", patientId)
			.param("before", Leads.utc(before))
			.param("limit", limit)
			.query((rs, n) -> new TimelineEntry(rs.getObject("at", OffsetDateTime.class).toInstant(),
					"LEAD_" + rs.getString("to_stage"),
					rs.getString("text") == null || rs.getString("text").isBlank() ? null : rs.getString("text"),
					List.of(), rs.getBoolean("auto") ? null : rs.getString("by_user"),
					"/leads/" + rs.getLong("lead_id")))
			.list();
	}

}
