package dev.klinika.patients;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * When the clinic last dealt with each patient (a booking, a visit): the search puts the
 * recent ones first where a query fits many cards. Only ever moves forward.
 */
@Component
public class PatientActivity {

	private final JdbcClient jdbc;

	PatientActivity(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional
	public void touch(long patientId, Instant at) {
		this.jdbc.sql("""
				update patient set last_activity_at = :at
				 where id = :id and (last_activity_at is null or last_activity_at < :at)
				""").param("id", patientId).param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).update();
	}

	/** Many at once (a bulk load of visits): each patient's latest time. */
	@Transactional
	public void touchAll(Map<Long, Instant> latest) {
		if (latest.isEmpty()) {
			return;
		}
		Long[] ids = latest.keySet().toArray(Long[]::new);
		// As text: the driver binds no array of timestamps.
		String[] times = latest.keySet().stream().map(id -> latest.get(id).toString()).toArray(String[]::new);
		this.jdbc.sql("""
				update patient p set last_activity_at = t.at
				  from unnest(:ids::bigint[], :times::text[]::timestamptz[]) as t(id, at)
				 where p.id = t.id and (p.last_activity_at is null or p.last_activity_at < t.at)
				""").param("ids", ids).param("times", times).update();
	}

}
