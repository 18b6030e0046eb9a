package dev.klinika.care;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.ScopedRecords;

/**
 * Prescriptions made at a visit and the pathways they become. A prescription is refused
 * whole when any item is wrong: an inactive service, no sessions or an absurd number of
 * them, an order that points forward or at itself.
 */
@Service
public class Pathways {

	/** Items one prescription may hold. */
	static final int MAX_ITEMS = 10;

	static final String BRANCH_OF_VISIT = "select branch_id from scheduling_appointment_v where id = :id";

	static final String BRANCH_OF_PATHWAY = "select branch_id from care_pathway where id = :id";

	private final JdbcClient jdbc;

	private final ScopedRecords scoped;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	Pathways(JdbcClient jdbc, ScopedRecords scoped, CurrentUser currentUser, AuditLog audit) {
		this.jdbc = jdbc;
		this.scoped = scoped;
		this.currentUser = currentUser;
		this.audit = audit;
	}

	/**
	 * One item as the doctor writes it: a service or a specialty (anyone of it), how many
	 * sessions, how many a week, and the item (by its position) it comes after.
	 */
	public record Item(@Nullable Long serviceId, @Nullable Long specialtyId, int sessions, int perWeek,
			@Nullable Integer after) {
	}

	/** A pathway as its page shows it. */
	public record Pathway(long id, long patientId, long branchId, long appointmentId, long prescribedBy, String status,
			@Nullable Long reexamServiceId, String createdBy, Instant createdAt, List<Line> items,
			@Nullable String declineReason, int version) {
	}

	/** An item of a pathway, with what it names. */
	public record Line(int position, @Nullable Long serviceId, @Nullable Long specialtyId, String name, int sessions,
			int perWeek, @Nullable Integer after) {
	}

	/**
	 * Prescribes at a visit of the login's branches (404 otherwise): the items in their
	 * order, and optionally a re-examination service after the course.
	 */
	@Transactional
	public long prescribe(long appointmentId, List<Item> items, @Nullable Long reexamServiceId) {
		this.scoped.requireOrUnowned("appointment", appointmentId, BRANCH_OF_VISIT);
		record Visit(long patientId, long branchId, long staffId, String status) {
		}
		Visit visit = this.jdbc
			.sql("select patient_id, branch_id, staff_id, status from scheduling_appointment_v where id = :id")
			.param("id", appointmentId)
			.query(Visit.class)
			.optional()
			.orElseThrow(() -> new ScopedRecords.NotInScope("appointment", appointmentId));
		if ("CANCELLED".equals(visit.status())) {
			throw new CareRefused("care.refused.visitCancelled");
		}
		if (items.isEmpty()) {
			throw new CareRefused("care.refused.noItems");
		}
		if (items.size() > MAX_ITEMS) {
			throw new CareRefused("care.refused.tooManyItems", MAX_ITEMS);
		}
		for (int i = 0; i < items.size(); i++) {
			check(items.get(i), i + 1);
		}
		if (reexamServiceId != null && !activeService(reexamServiceId)) {
			throw new CareRefused("care.refused.reexamService");
		}
		long id = this.jdbc
			.sql("""
					insert into care_pathway (patient_id, branch_id, appointment_id, prescribed_by, reexam_service_id, created_by)
					values (:patient, :branch, :visit, :staff, :reexam, :actor) returning id
					""")
			.param("patient", visit.patientId())
			.param("branch", visit.branchId())
			.param("visit", appointmentId)
			.param("staff", visit.staffId())
			.param("reexam", reexamServiceId)
			.param("actor", this.currentUser.actor())
			.query(Long.class)
			.single();
		for (int i = 0; i < items.size(); i++) {
			Item item = items.get(i);
			this.jdbc
				.sql("""
						insert into care_item (pathway_id, position, service_id, specialty_id, sessions, per_week, after_position)
						values (:pathway, :position, :service, :specialty, :sessions, :perWeek, :after)
						""")
				.param("pathway", id)
				.param("position", i + 1)
				.param("service", item.serviceId())
				.param("specialty", item.specialtyId())
				.param("sessions", item.sessions())
				.param("perWeek", item.perWeek())
				.param("after", item.after())
				.update();
		}
		this.audit.record("PATHWAY_PRESCRIBED", "pathway", id, "visit " + appointmentId + ", " + items.size() + " items"
				+ (reexamServiceId != null ? ", re-examination " + reexamServiceId : ""));
		return id;
	}

	private void check(Item item, int position) {
		if ((item.serviceId() == null) == (item.specialtyId() == null)) {
			throw new CareRefused("care.refused.serviceOrSpecialty", position);
		}
		if (item.serviceId() != null && !activeService(item.serviceId())) {
			throw new CareRefused("care.refused.inactiveService", position);
		}
		if (item.specialtyId() != null && !specialty(item.specialtyId())) {
			throw new CareRefused("care.refused.specialty", position);
		}
		if (item.sessions() < 1 || item.sessions() > 60) {
			throw new CareRefused("care.refused.sessions", position);
		}
		if (item.perWeek() < 1 || item.perWeek() > 7) {
			throw new CareRefused("care.refused.perWeek", position);
		}
		if (item.after() != null && (item.after() < 1 || item.after() >= position)) {
			throw new CareRefused("care.refused.after", position);
		}
	}

	private boolean activeService(long id) {
		return this.jdbc.sql("select count(*) > 0 from catalog_service_v where id = :id and active")
			.param("id", id)
			.query(Boolean.class)
			.single();
	}

	private boolean specialty(long id) {
		return this.jdbc.sql("select count(*) > 0 from organization_specialty_v where id = :id")
			.param("id", id)
			.query(Boolean.class)
			.single();
	}

	/** A pathway of the login's branches; another branch's is not found. */
	@Transactional(readOnly = true)
	public Optional<Pathway> find(long id) {
		if (!this.scoped.visibleOrUnowned(id, BRANCH_OF_PATHWAY)) {
			return Optional.empty();
		}
		List<Line> lines = this.jdbc
			.sql("""
					select i.position, i.service_id, i.specialty_id, coalesce(s.name, sp.name) as name, i.sessions, i.per_week,
					       i.after_position
					  from care_item i left join catalog_service_v s on s.id = i.service_id
					  left join organization_specialty_v sp on sp.id = i.specialty_id
					 where i.pathway_id = :id order by i.position
					""")
			.param("id", id)
			.query((rs, n) -> new Line(rs.getInt(1), (Long) rs.getObject(2), (Long) rs.getObject(3), rs.getString(4),
					rs.getInt(5), rs.getInt(6), (Integer) rs.getObject(7)))
			.list();
		return this.jdbc.sql("""
				select id, patient_id, branch_id, appointment_id, prescribed_by, status, reexam_service_id, created_by,
				       created_at, decline_reason, version from care_pathway where id = :id
				""")
			.param("id", id)
			.query((rs, n) -> new Pathway(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
					rs.getString(6), (Long) rs.getObject(7), rs.getString(8),
					rs.getObject(9, OffsetDateTime.class).toInstant(), lines, rs.getString(10), rs.getInt(11)))
			.optional();
	}

	/**
	 * The patient accepts a proposed pathway, or declines it with their reason; a pathway
	 * already under way, done or declined is not declined (or accepted) again. The
	 * version the page showed must still be the pathway's: two people changing it at
	 * once, the second is told.
	 */
	@Transactional
	public void decide(long id, boolean accepted, @Nullable String reason, int version) {
		this.scoped.requireOrUnowned("pathway", id, BRANCH_OF_PATHWAY);
		String status = this.jdbc.sql("select status from care_pathway where id = :id for update")
			.param("id", id)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new ScopedRecords.NotInScope("pathway", id));
		String clean = reason == null ? ""
				: java.util.Objects.requireNonNull(dev.klinika.shared.PlainText.clean(reason));
		if (!accepted && (clean.isBlank() || clean.length() > 500)) {
			throw new CareRefused("care.refused.declineReason");
		}
		if (!"PROPOSED".equals(status)) {
			throw new CareRefused("care.refused.notProposed");
		}
		int changed = this.jdbc.sql("""
				update care_pathway set status = :status, decline_reason = :reason, status_changed_at = now(),
				       version = version + 1
				 where id = :id and version = :version
				""")
			.param("status", accepted ? "ACCEPTED" : "DECLINED")
			.param("reason", accepted ? null : clean)
			.param("id", id)
			.param("version", version)
			.update();
		if (changed == 0) {
			throw new CareRefused("care.refused.changedMeanwhile");
		}
		this.audit.record(accepted ? "PATHWAY_ACCEPTED" : "PATHWAY_DECLINED", "pathway", id, accepted ? null : clean);
	}

	/** A specialty to prescribe "anyone of it". */
	public record Specialty(long id, String name) {
	}

	@Transactional(readOnly = true)
	public List<Specialty> specialties() {
		return this.jdbc.sql("select id, name from organization_specialty_v order by name")
			.query(Specialty.class)
			.list();
	}

	/** The pathways prescribed at a visit, newest first. */
	@Transactional(readOnly = true)
	public List<Long> ofVisit(long appointmentId) {
		return this.jdbc.sql("select id from care_pathway where appointment_id = :visit order by id desc")
			.param("visit", appointmentId)
			.query(Long.class)
			.list();
	}

}
