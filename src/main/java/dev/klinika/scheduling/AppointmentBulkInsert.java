package dev.klinika.scheduling;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Writes many appointments at once with COPY (demo history, migrations from another
 * system). The exclusion constraints still hold: a batch with an overlap fails whole.
 */
@Component
public class AppointmentBulkInsert {

	private final DataSource dataSource;

	private final dev.klinika.patients.PatientActivity activity;

	private final java.time.Clock clock;

	AppointmentBulkInsert(DataSource dataSource, dev.klinika.patients.PatientActivity activity, java.time.Clock clock) {
		this.dataSource = dataSource;
		this.activity = activity;
		this.clock = clock;
	}

	/** One appointment to write. */
	public record Row(long branchId, long staffId, long patientId, long serviceId, TimeSpan time,
			AppointmentStatus status, @Nullable String cancelReason, String createdBy) {
	}

	public void insert(List<Row> rows) {
		if (rows.isEmpty()) {
			return;
		}
		StringBuilder copy = new StringBuilder(rows.size() * 120);
		for (Row row : rows) {
			copy.append(row.branchId())
				.append('\t')
				.append(row.staffId())
				.append('\t')
				.append(row.patientId())
				.append('\t')
				.append(row.serviceId())
				.append("\t[")
				.append(OffsetDateTime.ofInstant(row.time().start(), ZoneOffset.UTC))
				.append(',')
				.append(OffsetDateTime.ofInstant(row.time().end(), ZoneOffset.UTC))
				.append(")\t")
				.append(row.status())
				.append('\t')
				.append(row.cancelReason() == null ? "\\N" : row.cancelReason())
				.append('\t')
				.append(row.createdBy())
				.append('\t')
				.append(OffsetDateTime.ofInstant(row.time().start().minusSeconds(86_400 * 3), ZoneOffset.UTC))
				.append('\n');
		}
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("copy appointment (branch_id, staff_id, patient_id, service_id, during, status, cancel_reason, "
						+ "created_by, created_at) from stdin", new StringReader(copy.toString()));
		}
		catch (SQLException | IOException ex) {
			throw new IllegalStateException("Appointments could not be written", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
		// Each patient's last dealing: their latest visit that has begun, else when their
		// booking was made.
		java.time.Instant now = this.clock.instant();
		java.util.Map<Long, java.time.Instant> latest = new java.util.HashMap<>();
		for (Row row : rows) {
			java.time.Instant at = row.time().start().isAfter(now) ? row.time().start().minusSeconds(86_400 * 3)
					: row.time().start();
			latest.merge(row.patientId(), at.isAfter(now) ? now : at, (a, b) -> a.isAfter(b) ? a : b);
		}
		this.activity.touchAll(latest);
	}

}
