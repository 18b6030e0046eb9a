package dev.klinika.care;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.ScopedRecords;
import dev.klinika.shared.Money;

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

	private final PathwayProgress progress;

	private final org.springframework.context.ApplicationEventPublisher events;

	private final java.time.Clock clock;

	Pathways(JdbcClient jdbc, ScopedRecords scoped, CurrentUser currentUser, AuditLog audit, PathwayProgress progress,
			org.springframework.context.ApplicationEventPublisher events, java.time.Clock clock) {
		this.clock = clock;
		this.progress = progress;
		this.events = events;
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
			@Nullable Integer after, int stage) {

		/** A line of a one-stage prescription. */
		public Item(@Nullable Long serviceId, @Nullable Long specialtyId, int sessions, int perWeek,
				@Nullable Integer after) {
			this(serviceId, specialtyId, sessions, perWeek, after, 1);
		}

	}

	/** A pathway as its page shows it. */
	public record Pathway(long id, long patientId, long branchId, long appointmentId, long prescribedBy, String status,
			@Nullable Long reexamServiceId, String createdBy, Instant createdAt, List<Line> items,
			@Nullable String declineReason, int version, Money estimate, @Nullable Long consultantId,
			@Nullable String endReason) {

		/** Whether the plan has more than one stage. */
		public boolean staged() {
			return this.items.stream().anyMatch(line -> line.stage() > 1);
		}

		/** Sessions prescribed, booked ahead, attended and missed, over every line. */
		public int prescribed() {
			return this.items.stream().mapToInt(Line::sessions).sum();
		}

		public int attended() {
			return this.items.stream().mapToInt(Line::attended).sum();
		}

		/** Whether its sessions are still to come. */
		public boolean open() {
			return PathwayProgress.OPEN.contains(this.status);
		}

	}

	/** An item of a pathway, with what it names. */
	public record Line(int position, @Nullable Long serviceId, @Nullable Long specialtyId, String name, int sessions,
			int perWeek, @Nullable Integer after, int stage, @Nullable Money unitPrice, int booked, int attended,
			int missed) {

		/** Sessions still to book. */
		public int toBook() {
			return Math.max(0, this.sessions - this.booked - this.attended);
		}

		/**
		 * The line's estimated cost: its sessions at its price, or null without a price.
		 */
		public @Nullable Money cost() {
			return this.unitPrice == null ? null : this.unitPrice.times(this.sessions);
		}

	}

	/**
	 * Prescribes at a visit of the login's branches (404 otherwise): the items in their
	 * order, and optionally a re-examination service after the course.
	 */
	@Transactional
	public long prescribe(long appointmentId, List<Item> items, @Nullable Long reexamServiceId) {
		this.scoped.requireOrUnowned("appointment", appointmentId, BRANCH_OF_VISIT);
		record Visit(long patientId, long branchId, long staffId, String status, java.time.LocalDate day,
				@Nullable Long consultantId) {
		}
		Visit visit = this.jdbc
			.sql("""
					select a.patient_id, a.branch_id, a.staff_id, a.status, (a.starts_at at time zone b.time_zone)::date as day,
					       c.consultant_id
					  from scheduling_appointment_v a join organization_branch_v b on b.id = a.branch_id
					  join patients_card_v c on c.id = a.patient_id
					 where a.id = :id
					""")
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
		List<@Nullable Money> prices = new ArrayList<>();
		Money estimate = Money.zero(Money.RUB);
		for (Item item : items) {
			Money price = item.serviceId() == null ? null : price(item.serviceId(), visit.day());
			prices.add(price);
			estimate = price == null ? estimate : estimate.plus(price.times(item.sessions()));
		}
		Long firstService = items.get(0).serviceId();
		Long category = firstService == null ? null
				: this.jdbc.sql("select category_id from catalog_service_v where id = :id")
					.param("id", firstService)
					.query((rs, n) -> (Long) rs.getObject(1))
					.list()
					.get(0);
		long id = this.jdbc
			.sql("""
					insert into care_pathway (patient_id, branch_id, appointment_id, prescribed_by, reexam_service_id, created_by,
					                          consultant_id, category_id, estimate)
					values (:patient, :branch, :visit, :staff, :reexam, :actor, :consultant, :category, :estimate) returning id
					""")
			.param("consultant", visit.consultantId())
			.param("category", category)
			.param("estimate", estimate.amount())
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
						insert into care_item (pathway_id, position, service_id, specialty_id, sessions, per_week, after_position,
						                       stage, unit_price)
						values (:pathway, :position, :service, :specialty, :sessions, :perWeek, :after, :stage, :price)
						""")
				.param("stage", item.stage())
				.param("price", prices.get(i) == null ? null : prices.get(i).amount())
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
		this.progress.step(id, "PRESCRIBED", this.currentUser.actor(), appointmentId, visit.staffId(), null, null);
		this.events.publishEvent(new CareEvents.PathwayPrescribed(id, visit.patientId(), visit.branchId(),
				this.progress.consultantUser(visit.consultantId()), lines(id), firstService));
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
		if (item.stage() < 1 || item.stage() > 10) {
			throw new CareRefused("care.refused.stage", position);
		}
	}

	/** A service's price on a day, from the catalog's price history. */
	private @Nullable Money price(long service, java.time.LocalDate day) {
		return this.jdbc.sql("""
				select price from catalog_service_price_v where service_id = :service and valid_from <= :day
				 order by valid_from desc limit 1
				""")
			.param("service", service)
			.param("day", day)
			.query(java.math.BigDecimal.class)
			.optional()
			.map(amount -> Money.of(amount, Money.RUB))
			.orElse(null);
	}

	/** A pathway's lines in words: "Массаж ×10, ЛФК ×10". */
	String lines(long pathway) {
		return this.jdbc
			.sql("""
					select string_agg(coalesce(s.name, 'любой: ' || sp.name) || ' ×' || i.sessions, ', ' order by i.position)
					  from care_item i left join catalog_service_v s on s.id = i.service_id
					  left join organization_specialty_v sp on sp.id = i.specialty_id where i.pathway_id = :p
					""")
			.param("p", pathway)
			.query(String.class)
			.single();
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
					       i.after_position, i.stage, i.unit_price,
					       count(a.id) filter (where a.expected or a.status in ('CHECKED_IN', 'IN_PROGRESS')) as booked,
					       count(a.id) filter (where a.status = 'COMPLETED') as attended,
					       count(a.id) filter (where a.status = 'NO_SHOW') as missed
					  from care_item i left join catalog_service_v s on s.id = i.service_id
					  left join organization_specialty_v sp on sp.id = i.specialty_id
					  left join care_session cs on cs.pathway_id = i.pathway_id and cs.position = i.position
					  left join scheduling_appointment_v a on a.id = cs.appointment_id
					 where i.pathway_id = :id
					 group by i.id, s.name, sp.name order by i.position
					""")
			.param("id", id)
			.query((rs, n) -> new Line(rs.getInt(1), (Long) rs.getObject(2), (Long) rs.getObject(3), rs.getString(4),
					rs.getInt(5), rs.getInt(6), (Integer) rs.getObject(7), rs.getInt(8),
					rs.getBigDecimal(9) == null ? null : Money.of(rs.getBigDecimal(9), Money.RUB), rs.getInt(10),
					rs.getInt(11), rs.getInt(12)))
			.list();
		return this.jdbc
			.sql("""
					select id, patient_id, branch_id, appointment_id, prescribed_by, status, reexam_service_id, created_by,
					       created_at, decline_reason, version, estimate, consultant_id, end_reason from care_pathway where id = :id
					""")
			.param("id", id)
			.query((rs, n) -> new Pathway(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
					rs.getString(6), (Long) rs.getObject(7), rs.getString(8),
					rs.getObject(9, OffsetDateTime.class).toInstant(), lines, rs.getString(10), rs.getInt(11),
					Money.of(rs.getBigDecimal(12), Money.RUB), (Long) rs.getObject(13), rs.getString(14)))
			.optional();
	}

	/** A step of a pathway as its page shows it. */
	public record Step(String kind, Instant at, String actor, @Nullable Long appointmentId, @Nullable Long staffId,
			@Nullable Integer position, @Nullable String note, @Nullable Instant visitStart) {
	}

	/** The steps of a pathway of the login's branches, in the order they happened. */
	@Transactional(readOnly = true)
	public List<Step> steps(long id) {
		if (!this.scoped.visibleOrUnowned(id, BRANCH_OF_PATHWAY)) {
			return List.of();
		}
		return this.jdbc.sql("""
				select s.kind, s.at, s.actor, s.appointment_id, s.staff_id, s.position, s.note, a.starts_at
				  from care_step s left join scheduling_appointment_v a on a.id = s.appointment_id
				 where s.pathway_id = :id order by s.at, s.id
				""")
			.param("id", id)
			.query((rs, n) -> new Step(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
					rs.getString(3), (Long) rs.getObject(4), (Long) rs.getObject(5), (Integer) rs.getObject(6),
					rs.getString(7),
					rs.getObject(8) == null ? null : rs.getObject(8, OffsetDateTime.class).toInstant()))
			.list();
	}

	/** What comes next on a pathway, in words. */
	@Transactional(readOnly = true)
	public String next(long id) {
		return this.progress.next(id);
	}

	/**
	 * The patient stops an accepted or started pathway (the desk or the consultant
	 * records why): it is abandoned, with the version the page showed.
	 */
	@Transactional
	public void abandon(long id, @Nullable String reason, int version) {
		this.scoped.requireOrUnowned("pathway", id, BRANCH_OF_PATHWAY);
		String clean = reason == null ? ""
				: java.util.Objects.requireNonNull(dev.klinika.shared.PlainText.clean(reason));
		if (clean.isBlank() || clean.length() > 500) {
			throw new CareRefused("care.refused.abandonReason");
		}
		String status = this.progress.head(id, true).status();
		if (!List.of("ACCEPTED", "IN_PROGRESS", "STALLED").contains(status)) {
			throw new CareRefused("care.refused.notUnderWay");
		}
		int changed = this.jdbc
			.sql("""
					update care_pathway set status = 'ABANDONED', end_reason = :reason, ended_at = now(), status_changed_at = now(),
					       version = version + 1
					 where id = :id and version = :version
					""")
			.param("reason", clean)
			.param("id", id)
			.param("version", version)
			.update();
		if (changed == 0) {
			throw new CareRefused("care.refused.changedMeanwhile");
		}
		this.progress.step(id, "ABANDONED", this.currentUser.actor(), null, null, null, clean);
		this.audit.record("PATHWAY_ABANDONED", "pathway", id, clean);
	}

	/**
	 * One click of the consultant: a message to the patient about the pathway's next
	 * step, on the patient's channel (messaging picks it, with its quiet hours and
	 * opt-outs). Once a day per pathway: a second click the same day is told, not sent
	 * again.
	 */
	@Transactional
	public void message(long id) {
		this.scoped.requireOrUnowned("pathway", id, BRANCH_OF_PATHWAY);
		PathwayProgress.Head head = this.progress.head(id, true);
		if (!PathwayProgress.OPEN.contains(head.status())) {
			throw new CareRefused("care.refused.notOpen");
		}
		if (this.jdbc.sql("""
				select count(*) > 0 from care_step where pathway_id = :id and kind = 'MESSAGED' and at > :since
				""")
			.param("id", id)
			.param("since", PathwayProgress.utc(this.clock.instant().minus(java.time.Duration.ofHours(20))))
			.query(Boolean.class)
			.single()) {
			throw new CareRefused("care.refused.messagedToday");
		}
		String next = this.progress.next(id);
		long step = this.progress.step(id, "MESSAGED", this.currentUser.actor(), null, null, null, next);
		this.events.publishEvent(new CareEvents.PathwayMessageRequested(id, head.patientId(), step, next));
		this.audit.record("PATHWAY_MESSAGED", "pathway", id, null);
	}

	/**
	 * Puts a consultant (an active staff member of the pathway's branch) in charge, or
	 * nobody; with the version the page showed.
	 */
	@Transactional
	public void assign(long id, @Nullable Long consultantId, int version) {
		this.scoped.requireOrUnowned("pathway", id, BRANCH_OF_PATHWAY);
		long branch = this.progress.head(id, true).branchId();
		if (consultantId != null && !this.jdbc.sql("""
				select count(*) > 0 from organization_staff_v s join organization_staff_branch_v b on b.staff_id = s.id
				 where s.id = :staff and s.active and b.branch_id = :branch
				""").param("staff", consultantId).param("branch", branch).query(Boolean.class).single()) {
			throw new CareRefused("care.refused.consultant");
		}
		int changed = this.jdbc
			.sql("""
					update care_pathway set consultant_id = :consultant, version = version + 1 where id = :id and version = :version
					""")
			.param("consultant", consultantId)
			.param("id", id)
			.param("version", version)
			.update();
		if (changed == 0) {
			throw new CareRefused("care.refused.changedMeanwhile");
		}
		this.progress.step(id, "CONSULTANT", this.currentUser.actor(), null, consultantId, null, null);
		this.audit.record("PATHWAY_ASSIGNED", "pathway", id, consultantId == null ? null : "staff " + consultantId);
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
		this.progress.step(id, accepted ? "ACCEPTED" : "DECLINED", this.currentUser.actor(), null, null, null,
				accepted ? null : clean);
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

	/** Whether a visit is a session (or the re-examination) of a pathway. */
	@Transactional(readOnly = true)
	public boolean attached(long appointmentId) {
		return this.jdbc.sql("select count(*) > 0 from care_session where appointment_id = :id")
			.param("id", appointmentId)
			.query(Boolean.class)
			.single();
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
