package dev.klinika.scheduling;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.catalog.MedicalService;
import dev.klinika.security.AuditLog;

/**
 * How long a service takes with a particular staff member: the catalogue's duration
 * unless the staff member has their own (an experienced masseur takes 25 minutes, a new
 * one 40).
 */
@Component
class StaffDurations {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	StaffDurations(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	public Duration of(long staffId, MedicalService service) {
		return of(List.of(staffId), service).get(staffId);
	}

	/** The duration for each of several staff members, in one query. */
	public Map<Long, Duration> of(List<Long> staffIds, MedicalService service) {
		Map<Long, Duration> durations = new HashMap<>();
		Duration standard = Duration.ofMinutes(service.getDurationMinutes());
		staffIds.forEach(id -> durations.put(id, standard));
		if (!staffIds.isEmpty()) {
			this.jdbc.sql("""
					select staff_id, duration_minutes from staff_service_duration
					 where service_id = :service and staff_id in (:staff)
					""")
				.param("service", service.getId())
				.param("staff", staffIds)
				.query((rs, n) -> Map.entry(rs.getLong(1), Duration.ofMinutes(rs.getInt(2))))
				.list()
				.forEach(own -> durations.put(own.getKey(), own.getValue()));
		}
		return durations;
	}

	/** Own durations of a staff member by service id. */
	public Map<Long, Integer> ownOf(long staffId) {
		Map<Long, Integer> own = new HashMap<>();
		this.jdbc.sql("select service_id, duration_minutes from staff_service_duration where staff_id = :staff")
			.param("staff", staffId)
			.query((rs, n) -> Map.entry(rs.getLong(1), rs.getInt(2)))
			.list()
			.forEach(row -> own.put(row.getKey(), row.getValue()));
		return own;
	}

	/**
	 * Sets the staff member's own duration for a service (5 to 1440 minutes), or removes
	 * it with {@code null}.
	 */
	public void set(long staffId, long serviceId, @Nullable Integer minutes) {
		if (minutes == null) {
			this.jdbc.sql("delete from staff_service_duration where staff_id = :staff and service_id = :service")
				.param("staff", staffId)
				.param("service", serviceId)
				.update();
		}
		else {
			if (minutes < 5 || minutes > 1440) {
				throw new BookingRefused("DURATION");
			}
			this.jdbc
				.sql("""
						insert into staff_service_duration (staff_id, service_id, duration_minutes) values (:staff, :service, :minutes)
						on conflict (staff_id, service_id) do update set duration_minutes = excluded.duration_minutes
						""")
				.param("staff", staffId)
				.param("service", serviceId)
				.param("minutes", minutes)
				.update();
		}
		this.audit.record("STAFF_DURATION_SET", "staff", staffId, "service " + serviceId + ": " + minutes);
	}

}
