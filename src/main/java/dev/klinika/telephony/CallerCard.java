package dev.klinika.telephony;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.shared.PhoneNumber;

/**
 * What the admin sees before picking up: who is calling (a card found by the number),
 * their next and last visits and open tasks; an unknown number says so, for a quick lead.
 */
@Service
@Transactional(readOnly = true)
public class CallerCard {

	private final JdbcClient jdbc;

	private final dev.klinika.patients.PatientSearch patients;

	CallerCard(JdbcClient jdbc, dev.klinika.patients.PatientSearch patients) {
		this.jdbc = jdbc;
		this.patients = patients;
	}

	/** The pop-up's facts. */
	public record Card(long call, @Nullable Long branch, String number, @Nullable Long patientId, @Nullable String name,
			List<String> upcoming, @Nullable String last, int openTasks) {
	}

	public Optional<Card> of(long call) {
		record Call(long id, @Nullable Long branchId, @Nullable String caller, @Nullable Long patientId) {
		}
		Optional<Call> found = this.jdbc.sql("select id, branch_id, caller, patient_id from call where id = :id")
			.param("id", call)
			.query(Call.class)
			.optional();
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Call c = found.get();
		String number = c.caller() == null ? "—" : PhoneNumber.displayOf(c.caller());
		if (c.patientId() == null) {
			return Optional.of(new Card(c.id(), c.branchId(), number, null, null, List.of(), null, 0));
		}
		var brief = this.patients.briefs(java.util.Set.of(c.patientId())).get(c.patientId());
		String name = brief == null ? null : brief.name();
		List<String> upcoming = this.jdbc
			.sql("""
					select to_char(lower(a.during) at time zone b.time_zone, 'DD.MM HH24:MI') || ' ' || s.name
					  from scheduling_appointment_v a join catalog_service_v s on s.id = a.service_id join organization_branch_v b on b.id = a.branch_id
					 where a.patient_id = :p and lower(a.during) > now() and a.expected
					 order by lower(a.during) limit 3
					""")
			.param("p", c.patientId())
			.query(String.class)
			.list();
		String last = this.jdbc
			.sql("""
					select to_char(lower(a.during) at time zone b.time_zone, 'DD.MM.YYYY') || ' ' || s.name
					  from scheduling_appointment_v a join catalog_service_v s on s.id = a.service_id join organization_branch_v b on b.id = a.branch_id
					 where a.patient_id = :p and lower(a.during) <= now() and a.status = 'COMPLETED'
					 order by lower(a.during) desc limit 1
					""")
			.param("p", c.patientId())
			.query(String.class)
			.optional()
			.orElse(null);
		int tasks = this.jdbc.sql("""
				select count(*) from tasks_task_v where patient_id = :p and status in ('OPEN', 'IN_PROGRESS')
				""").param("p", c.patientId()).query(Integer.class).single();
		return Optional.of(new Card(c.id(), c.branchId(), number, c.patientId(), name, upcoming, last, tasks));
	}

	/** Missed incoming calls of the login's branches nobody has called back yet. */
	public int toCallBack(dev.klinika.security.BranchScope scope) {
		return this.jdbc.sql("""
				select count(*) from call
				 where status = 'MISSED' and handled_at is null and direction = 'IN'
				   and (:all or branch_id is null or branch_id in (:branches))
				""").param("all", scope.all()).param("branches", scope.idsForSql()).query(Integer.class).single();
	}

	/** Calls as the list shows them. */
	public record Row(long id, String direction, @Nullable String caller, @Nullable String called,
			@Nullable Long patientId, @Nullable String patient, @Nullable String employee, OffsetDateTime startedAt,
			@Nullable OffsetDateTime answeredAt, @Nullable OffsetDateTime endedAt, String status,
			@Nullable OffsetDateTime handledAt, @Nullable String handledBy, @Nullable String recordingUrl,
			@Nullable String outcome, @Nullable String comment) {

		Row withPatient(String name) {
			return new Row(this.id, this.direction, this.caller, this.called, this.patientId, name, this.employee,
					this.startedAt, this.answeredAt, this.endedAt, this.status, this.handledAt, this.handledBy,
					this.recordingUrl, this.outcome, this.comment);
		}

		public boolean needsCallback() {
			return "MISSED".equals(this.status) && this.handledAt == null && "IN".equals(this.direction);
		}

		public @Nullable String callerDisplay() {
			return this.caller == null ? null : PhoneNumber.displayOf(this.caller);
		}

	}

	/**
	 * The latest calls of the login's branches (and of lines no branch owns), missed and
	 * not handled first when asked.
	 */
	public dev.klinika.shared.ListPage<Row> latest(boolean missedOnly, dev.klinika.security.BranchScope scope,
			int number, int size) {
		String where = """
				 where (:all or c.branch_id is null or c.branch_id in (:branches))
				   and (not :missed or (c.status = 'MISSED' and c.handled_at is null and c.direction = 'IN'))
				""";
		List<Row> rows = this.jdbc.sql("""
				select c.id, c.direction, c.caller, c.called, c.patient_id, null as patient,
				       coalesce(e.username, c.employee) as employee, c.started_at,
				       c.answered_at, c.ended_at, c.status, c.handled_at, c.handled_by, c.recording_url, c.outcome,
				       c.comment
				  from call c
				  left join pbx_employee e on e.pbx_id = c.employee
				""" + where + " order by c.started_at desc, c.id desc offset :offset limit :limit")
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.param("missed", missedOnly)
			.param("offset", dev.klinika.shared.ListPage.offset(number, size))
			.param("limit", size)
			.query(Row.class)
			.list();
		// The callers' names from the patients module, for the page in one query.
		var names = this.patients.briefs(rows.stream()
			.map(Row::patientId)
			.filter(java.util.Objects::nonNull)
			.collect(java.util.stream.Collectors.toSet()));
		rows = rows.stream().map(row -> {
			var brief = row.patientId() == null ? null : names.get(row.patientId());
			return brief == null ? row : row.withPatient(brief.name());
		}).toList();
		return dev.klinika.shared.ListPage.of(rows, number, size,
				() -> this.jdbc.sql(dev.klinika.shared.ListPage.cappedCount("select 1 from call c" + where))
					.param("all", scope.all())
					.param("branches", scope.idsForSql())
					.param("missed", missedOnly)
					.query(Long.class)
					.single());
	}

}
