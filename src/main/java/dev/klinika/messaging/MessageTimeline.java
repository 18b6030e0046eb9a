package dev.klinika.messaging;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.patients.TimelineContributor;
import dev.klinika.patients.TimelineEntry;

/**
 * A patient's messages on their timeline: each outgoing one where it stands now (sent,
 * delivered, failed, skipped and why), at the moment it was sent or is due; each reply
 * they wrote.
 */
@Component
class MessageTimeline implements TimelineContributor {

	private final JdbcClient jdbc;

	MessageTimeline(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<TimelineEntry> entries(long patientId, Instant before, int limit) {
		return this.jdbc.sql("""
				select * from (
				  select coalesce(sent_at, due_at) at, 'MESSAGE_' || status kind,
				         coalesce(channel, '—') || ': ' || left(body, 300) || coalesce(' (' || error || ')', '') text,
				         created_by actor
				    from outbox_message where patient_id = :patient and status <> 'WITHDRAWN'
				  union all
				  select received_at, 'MESSAGE_IN', channel || ': ' || left(body, 300), null
				    from inbound_message where patient_id = :patient
				) e where at < :before order by at desc limit :limit
				""")
			.param("patient", patientId)
			.param("before", Outbox.utc(before))
			.param("limit", limit)
			.query((rs, n) -> new TimelineEntry(rs.getObject("at", OffsetDateTime.class).toInstant(),
					rs.getString("kind"), rs.getString("text"), List.of(), rs.getString("actor"),
					"/messaging/patients/" + patientId))
			.list();
	}

}
