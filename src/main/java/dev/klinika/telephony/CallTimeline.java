package dev.klinika.telephony;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.patients.TimelineContributor;
import dev.klinika.patients.TimelineEntry;

/**
 * A patient's calls on their timeline: answered, missed and outgoing, with the
 * conversation's length and outcome; the entry links to the recording when the PBX gave
 * one, else to the calls screen.
 */
@Component
class CallTimeline implements TimelineContributor {

	private final JdbcClient jdbc;

	CallTimeline(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<TimelineEntry> entries(long patientId, Instant before, int limit) {
		return this.jdbc.sql("""
				select id, started_at, direction, status, employee, outcome, comment, recording_url,
				       extract(epoch from ended_at - coalesce(answered_at, ended_at))::int seconds
				  from call where patient_id = :patient and started_at < :before
				 order by started_at desc limit :limit
				""")
			.param("patient", patientId)
			.param("before", Calls.utc(before))
			.param("limit", limit)
			.query((rs, n) -> {
				String kind = "OUT".equals(rs.getString("direction")) ? "CALL_OUT" : "CALL_" + rs.getString("status");
				StringBuilder text = new StringBuilder();
				if (rs.getString("employee") != null) {
					text.append(rs.getString("employee"));
				}
				int seconds = rs.getInt("seconds");
				if (seconds > 0) {
					text.append(text.isEmpty() ? "" : " · ")
						.append(seconds / 60)
						.append(':')
						.append(String.format("%02d", seconds % 60));
				}
				if (rs.getString("outcome") != null) {
					text.append(text.isEmpty() ? "" : " · ").append(rs.getString("outcome"));
				}
				if (rs.getString("comment") != null) {
					text.append(": ").append(rs.getString("comment"));
				}
				String recording = rs.getString("recording_url");
				return new TimelineEntry(rs.getObject("started_at", OffsetDateTime.class).toInstant(), kind,
						text.isEmpty() ? null : text.toString(), List.of(), null,
						recording != null && recording.startsWith("http")
								? "/telephony/calls/" + rs.getLong("id") + "/recording" : "/telephony/calls");
			})
			.list();
	}

}
