package dev.klinika.tasks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.patients.TimelineContributor;
import dev.klinika.patients.TimelineEntry;

/** A patient's tasks on their timeline: when each was set, and when and how it ended. */
@Component
class TaskTimeline implements TimelineContributor {

	private final JdbcClient jdbc;

	TaskTimeline(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<TimelineEntry> entries(long patientId, Instant before, int limit) {
		return this.jdbc.sql("""
				select * from (
				  select id, created_at as at, 'TASK_CREATED' as kind, title as text, created_by as actor from task
				   where patient_id = :patient
				  union all
				  select id, closed_at, 'TASK_' || status, title || coalesce(': ' || outcome, ''), closed_by from task
				   where patient_id = :patient and closed_at is not null
				) e where at < :before order by at desc limit :limit
				""")
			.param("patient", patientId)
			.param("before", Tasks.utc(before))
			.param("limit", limit)
			.query((rs, n) -> new TimelineEntry(rs.getObject("at", OffsetDateTime.class).toInstant(),
					rs.getString("kind"), rs.getString("text"), List.of(), rs.getString("actor"),
					"/tasks/" + rs.getLong("id")))
			.list();
	}

	@Override
	public List<TimelineEntry> open(long patientId) {
		return this.jdbc.sql("""
				select id, due_at, priority, title, created_by
				  from task where patient_id = :patient and status in ('OPEN', 'IN_PROGRESS')
				 order by due_at, id limit 20
				""")
			.param("patient", patientId)
			.query((rs, n) -> new TimelineEntry(rs.getObject("due_at", OffsetDateTime.class).toInstant(),
					"TASK_" + rs.getString("priority"), rs.getString("title"), List.of(), rs.getString("created_by"),
					"/tasks/" + rs.getLong("id")))
			.list();
	}

}
