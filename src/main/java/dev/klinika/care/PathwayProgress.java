package dev.klinika.care;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.patients.PatientsMerged;
import dev.klinika.scheduling.AppointmentEvents.AppointmentBooked;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCompleted;
import dev.klinika.scheduling.AppointmentEvents.AppointmentNoShow;

/**
 * A pathway following its patient's visits. A booking of a prescribed service (or of a
 * prescribed specialty's) attaches to the patient's oldest open pathway with a line that
 * still has sessions to book; a visit attaches once. The visit's outcome moves the
 * pathway: the first attended session starts it, a missed one asks for a new booking, the
 * last one completes it (and asks for the re-examination when it is not booked). A
 * pathway that waits too long for its next booking stalls, once per wait; one stalled too
 * long is abandoned. Every change is a step of the pathway, appended.
 */
@Service
class PathwayProgress {

	/** Statuses of a pathway whose sessions are still to come. */
	static final List<String> OPEN = List.of("PROPOSED", "ACCEPTED", "IN_PROGRESS", "STALLED");

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final PathwayPaid paid;

	PathwayProgress(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock, PathwayPaid paid) {
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock;
		this.paid = paid;
	}

	@ApplicationModuleListener
	void on(AppointmentBooked booked) {
		attach(booked.appointment());
	}

	@ApplicationModuleListener
	void on(AppointmentCompleted completed) {
		attended(completed.appointment());
	}

	@ApplicationModuleListener
	void on(AppointmentNoShow missed) {
		missed(missed.appointment());
	}

	@ApplicationModuleListener
	void on(AppointmentCancelled cancelled) {
		session(cancelled.appointment()).ifPresent(session -> step(session.pathwayId(), "CANCELLED", "system",
				session.appointmentId(), session.staffId(), session.position(), null));
	}

	/** Pathways follow a merged card to the card that stays. */
	@ApplicationModuleListener
	void on(PatientsMerged merged) {
		this.jdbc.sql("update care_pathway set patient_id = :survivor where patient_id = :merged")
			.param("survivor", merged.survivor())
			.param("merged", merged.merged())
			.update();
	}

	/** A visit as a pathway sees it. */
	record Visit(long id, long patientId, long serviceId, @Nullable Long specialtyId, long staffId, Instant start,
			String createdBy) {
	}

	/** A visit attached to a pathway: its line (null for the re-examination). */
	record Session(long pathwayId, @Nullable Integer position, long appointmentId, long staffId) {
	}

	/**
	 * Attaches a booked visit to the patient's oldest open pathway that prescribed its
	 * service (or anyone of its specialty) and has sessions of it left to book, or whose
	 * re-examination it is; nothing when the visit is attached already or no pathway
	 * wants it. A proposed pathway is accepted by the booking, a stalled one resumes.
	 */
	@Transactional
	public Optional<Long> attach(long appointmentId) {
		Visit visit = visit(appointmentId).orElse(null);
		if (visit == null || session(appointmentId).isPresent()) {
			return Optional.empty();
		}
		List<Long> candidates = this.jdbc
			.sql("""
					select p.id from care_pathway p join scheduling_appointment_v a on a.id = p.appointment_id
					 where p.patient_id = :patient and p.status in ('PROPOSED', 'ACCEPTED', 'IN_PROGRESS', 'STALLED', 'COMPLETED')
					   and p.appointment_id <> :visit and a.starts_at < :start
					 order by p.id for update of p
					""")
			.param("patient", visit.patientId())
			.param("visit", appointmentId)
			.param("start", utc(visit.start()))
			.query(Long.class)
			.list();
		for (long pathway : candidates) {
			String status = status(pathway);
			Integer line = "COMPLETED".equals(status) ? null : openLine(pathway, visit);
			boolean reexam = line == null && reexamWanted(pathway, visit.serviceId());
			if (line == null && !reexam) {
				continue;
			}
			this.jdbc.sql("insert into care_session (pathway_id, position, appointment_id) values (:p, :pos, :a)")
				.param("p", pathway)
				.param("pos", line)
				.param("a", appointmentId)
				.update();
			step(pathway, "BOOKED", visit.createdBy(), appointmentId, visit.staffId(), line, null);
			this.paid.visit(appointmentId);
			if ("PROPOSED".equals(status)) {
				move(pathway, "ACCEPTED");
				step(pathway, "ACCEPTED", visit.createdBy(), appointmentId, null, null, null);
			}
			else if ("STALLED".equals(status)) {
				move(pathway, attendedCount(pathway) > 0 ? "IN_PROGRESS" : "ACCEPTED");
				step(pathway, "RESUMED", visit.createdBy(), appointmentId, null, null, null);
			}
			return Optional.of(pathway);
		}
		return Optional.empty();
	}

	/** The first line (by position) naming the visit's service or specialty with room. */
	private @Nullable Integer openLine(long pathway, Visit visit) {
		return this.jdbc
			.sql("""
					select i.position from care_item i
					 where i.pathway_id = :p and (i.service_id = :service or i.specialty_id = :specialty)
					   and i.sessions > (select count(*) from care_session s join scheduling_appointment_v a on a.id = s.appointment_id
					                      where s.pathway_id = i.pathway_id and s.position = i.position
					                        and a.status not in ('CANCELLED', 'NO_SHOW'))
					 order by i.position limit 1
					""")
			.param("p", pathway)
			.param("service", visit.serviceId())
			.param("specialty", visit.specialtyId())
			.query(Integer.class)
			.optional()
			.orElse(null);
	}

	private boolean reexamWanted(long pathway, long service) {
		return this.jdbc
			.sql("""
					select count(*) > 0 from care_pathway p where p.id = :p and p.reexam_service_id = :service
					   and not exists (select 1 from care_session s join scheduling_appointment_v a on a.id = s.appointment_id
					                    where s.pathway_id = p.id and s.position is null and a.status not in ('CANCELLED', 'NO_SHOW'))
					""")
			.param("p", pathway)
			.param("service", service)
			.query(Boolean.class)
			.single();
	}

	/**
	 * An attached visit took place: the first one starts the pathway; when every line's
	 * sessions are attended the course is done, and the pathway completes (asking for the
	 * re-examination when it is due and not booked).
	 */
	@Transactional
	public void attended(long appointmentId) {
		Session session = session(appointmentId).orElse(null);
		if (session == null) {
			return;
		}
		long pathway = session.pathwayId();
		Head head = head(pathway, true);
		step(pathway, "ATTENDED", "system", appointmentId, session.staffId(), session.position(), null);
		if (session.position() == null || !OPEN.contains(head.status())) {
			return;
		}
		if (attendedCount(pathway) == 1) {
			this.events.publishEvent(new CareEvents.PathwayStarted(pathway, head.patientId(), head.branchId(),
					consultantUser(head.consultantId()), appointmentId));
		}
		if (!courseDone(pathway)) {
			move(pathway, "IN_PROGRESS");
			return;
		}
		if (head.reexamServiceId() != null && !reexamBooked(pathway)) {
			step(pathway, "COURSE_DONE", "system", appointmentId, null, null, null);
			this.events.publishEvent(new CareEvents.PathwayReexamDue(pathway, head.patientId(), head.branchId(),
					consultantUser(head.consultantId()), head.reexamServiceId(), serviceName(head.reexamServiceId())));
		}
		move(pathway, "COMPLETED");
		this.jdbc.sql("update care_pathway set ended_at = :now where id = :id")
			.param("now", utc(this.clock.instant()))
			.param("id", pathway)
			.update();
		step(pathway, "COMPLETED", "system", appointmentId, null, null, null);
		this.events.publishEvent(new CareEvents.PathwayCompleted(pathway, head.patientId(), head.branchId(),
				consultantUser(head.consultantId()), appointmentId));
	}

	/** An attached visit the patient missed: the session is to be booked again. */
	@Transactional
	public void missed(long appointmentId) {
		Session session = session(appointmentId).orElse(null);
		if (session == null) {
			return;
		}
		Head head = head(session.pathwayId(), true);
		step(session.pathwayId(), "MISSED", "system", appointmentId, session.staffId(), session.position(), null);
		if (OPEN.contains(head.status()) || session.position() == null) {
			long service = this.jdbc.sql("select service_id from scheduling_appointment_v where id = :id")
				.param("id", appointmentId)
				.query(Long.class)
				.single();
			this.events.publishEvent(
					new CareEvents.PathwaySessionMissed(session.pathwayId(), head.patientId(), head.branchId(),
							consultantUser(head.consultantId()), appointmentId, service, serviceName(service)));
		}
	}

	/** What a stall run did. */
	record Run(int stalled, int abandoned) {
	}

	/**
	 * Stalls every accepted or started pathway with sessions left, nothing booked ahead,
	 * and no booking or attended session for longer than its category's stall days;
	 * abandons every pathway stalled for longer than its abandon days. Run again, it does
	 * nothing more: a pathway stalls once until a booking resumes it.
	 */
	@Transactional
	public Run stalls() {
		OffsetDateTime now = utc(this.clock.instant());
		record Stalled(long id, long patientId, long branchId, @Nullable Long consultantId, int stalls) {
		}
		List<Stalled> stalled = this.jdbc
			.sql("""
					with setting as (
					  select p.id, p.created_at, coalesce(c.stall_days, d.stall_days) as stall_days
					    from care_pathway p
					    left join care_setting c on c.category_id = p.category_id
					    cross join (select stall_days from care_setting where category_id is null) d
					   where p.status in ('ACCEPTED', 'IN_PROGRESS')
					), due as (
					  select s.id from setting s
					   where not exists (select 1 from care_session cs join scheduling_appointment_v a on a.id = cs.appointment_id
					                      where cs.pathway_id = s.id and a.open)
					     and greatest(s.created_at,
					                  (select max(cs.attached_at) from care_session cs where cs.pathway_id = s.id),
					                  (select max(a.ends_at) from care_session cs join scheduling_appointment_v a on a.id = cs.appointment_id
					                    where cs.pathway_id = s.id and a.status = 'COMPLETED'))
					         < :now - make_interval(days => s.stall_days)
					)
					update care_pathway p set status = 'STALLED', stalls = p.stalls + 1, stalled_at = :now,
					       status_changed_at = :now, version = p.version + 1
					  from due where p.id = due.id
					returning p.id, p.patient_id, p.branch_id, p.consultant_id, p.stalls
					""")
			.param("now", now)
			.query(Stalled.class)
			.list();
		for (Stalled pathway : stalled) {
			step(pathway.id(), "STALLED", "system", null, null, null, null);
			this.events.publishEvent(new CareEvents.PathwayStalled(pathway.id(), pathway.patientId(),
					pathway.branchId(), consultantUser(pathway.consultantId()), pathway.stalls(), next(pathway.id()),
					nextService(pathway.id())));
		}
		List<Long> abandoned = this.jdbc.sql("""
				update care_pathway p set status = 'ABANDONED', ended_at = :now, status_changed_at = :now,
				       end_reason = 'не записался', version = p.version + 1
				  from care_pathway q
				  left join care_setting c on c.category_id = q.category_id
				  cross join (select abandon_days from care_setting where category_id is null) d
				 where p.id = q.id and q.status = 'STALLED'
				   and q.stalled_at < :now - make_interval(days => coalesce(c.abandon_days, d.abandon_days))
				returning p.id
				""").param("now", now).query(Long.class).list();
		for (long pathway : abandoned) {
			step(pathway, "ABANDONED", "system", null, null, null, null);
		}
		foldCounts();
		return new Run(stalled.size(), abandoned.size());
	}

	/**
	 * Folds the counters' changes (the list's tabs, the report's days, its months): the
	 * rows of each key appended to since the last fold become one row, not appended. One
	 * statement each: a change appended meanwhile is not in its snapshot and stays for
	 * the next fold, and a second fold at once skips the rows the first deleted. A key is
	 * its columns that are never null, then those that may be.
	 */
	void foldCounts() {
		fold("care_queue_count", "branch_id, status", "consultant_id", "n");
		fold("care_report_count", "day, branch_id", "doctor_id, category_id, stop",
				"prescribed, accepted, declined, started, completed, abandoned, proposed_value, accepted_value, paid");
		fold("care_month_count", "day, branch_id", "", "started, finished");
	}

	private void fold(String table, String keys, String nullable, String figures) {
		List<String> strict = List.of(keys.split(", "));
		List<String> loose = nullable.isEmpty() ? List.of() : List.of(nullable.split(", "));
		String all = nullable.isEmpty() ? keys : keys + ", " + nullable;
		List<String> same = new java.util.ArrayList<>(strict.stream().map(k -> "t." + k + " = f." + k).toList());
		loose.forEach(k -> same.add("t." + k + " is not distinct from f." + k));
		List<String> sums = List.of(figures.split(", ")).stream().map(f -> "sum(" + f + ")").toList();
		this.jdbc
			.sql("""
					with fresh as (select distinct %1$s from %2$s where appended),
					folded as (delete from %2$s t using fresh f where %3$s returning %4$s, %5$s)
					insert into %2$s (%1$s, %6$s, appended)
					select %1$s, %7$s, false from folded group by %1$s having %8$s
					""".formatted(all, table, String.join(" and ", same),
					String.join(", ", List.of(all.split(", ")).stream().map(k -> "t." + k).toList()),
					String.join(", ", List.of(figures.split(", ")).stream().map(f -> "t." + f).toList()), figures,
					String.join(", ", sums), String.join(" or ", sums.stream().map(sum -> sum + " <> 0").toList())))
			.update();
	}

	/** The stall watch: every 30 minutes, on one node. */
	@Bean
	static com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> careStallJob(PathwayProgress progress) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks
			.recurring("care-stalls", com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.ofMinutes(30))
			.execute((instance, context) -> progress.stalls());
	}

	/**
	 * What comes next on a pathway, in words: the first line (in its order) with sessions
	 * left to attend, or the re-examination.
	 */
	String next(long pathway) {
		return next(List.of(pathway)).getOrDefault(pathway, "");
	}

	/** What comes next on each of the pathways, read for all of them at once. */
	Map<Long, String> next(java.util.Collection<Long> pathways) {
		Map<Long, String> next = new java.util.HashMap<>();
		if (pathways.isEmpty()) {
			return next;
		}
		this.jdbc.sql("""
				select distinct on (i.pathway_id) i.pathway_id,
				       coalesce(s.name, sp.name) || ' — осталось ' || (i.sessions - d.done) || ' из ' || i.sessions
				  from care_item i
				  cross join lateral (select count(*) as done from care_session cs
				                        join scheduling_appointment_v a on a.id = cs.appointment_id
				                       where cs.pathway_id = i.pathway_id and cs.position = i.position
				                         and a.status = 'COMPLETED') d
				  left join catalog_service_v s on s.id = i.service_id
				  left join organization_specialty_v sp on sp.id = i.specialty_id
				 where i.pathway_id in (:ids) and i.sessions > d.done
				 order by i.pathway_id, coalesce(i.after_position, 0), i.position
				""").param("ids", pathways).query((rs, n) -> next.put(rs.getLong(1), rs.getString(2))).list();
		List<Long> done = pathways.stream().filter(id -> !next.containsKey(id)).toList();
		if (!done.isEmpty()) {
			this.jdbc.sql("""
					select p.id, coalesce('повторный приём: ' || s.name, '') from care_pathway p
					  left join catalog_service_v s on s.id = p.reexam_service_id where p.id in (:ids)
					""").param("ids", done).query((rs, n) -> next.put(rs.getLong(1), rs.getString(2))).list();
		}
		return next;
	}

	/** The service of the next line with sessions left, when the line names one. */
	@Nullable Long nextService(long pathway) {
		List<Optional<Long>> lines = this.jdbc
			.sql("""
					select i.service_id from care_item i
					 where i.pathway_id = :p and i.sessions > (
					         select count(*) from care_session cs join scheduling_appointment_v a on a.id = cs.appointment_id
					          where cs.pathway_id = i.pathway_id and cs.position = i.position and a.status = 'COMPLETED')
					 order by coalesce(i.after_position, 0), i.position limit 1
					""")
			.param("p", pathway)
			.query((rs, n) -> java.util.Optional.ofNullable((Long) rs.getObject(1)))
			.list();
		return lines.isEmpty() ? null : lines.get(0).orElse(null);
	}

	/** The pathway's row, locked when it is to change. */
	record Head(long id, long patientId, long branchId, String status, @Nullable Long consultantId,
			@Nullable Long reexamServiceId) {
	}

	Head head(long pathway, boolean lock) {
		return this.jdbc.sql(
				"select id, patient_id, branch_id, status, consultant_id, reexam_service_id from care_pathway where id = :id"
						+ (lock ? " for update" : ""))
			.param("id", pathway)
			.query(Head.class)
			.single();
	}

	private String status(long pathway) {
		return this.jdbc.sql("select status from care_pathway where id = :id")
			.param("id", pathway)
			.query(String.class)
			.single();
	}

	private void move(long pathway, String status) {
		this.jdbc.sql("""
				update care_pathway set status = :status, status_changed_at = :now, version = version + 1
				 where id = :id and status <> :status
				""").param("status", status).param("now", utc(this.clock.instant())).param("id", pathway).update();
	}

	private int attendedCount(long pathway) {
		return this.jdbc.sql("""
				select count(*) from care_session s join scheduling_appointment_v a on a.id = s.appointment_id
				 where s.pathway_id = :p and s.position is not null and a.status = 'COMPLETED'
				""").param("p", pathway).query(Integer.class).single();
	}

	private boolean courseDone(long pathway) {
		return this.jdbc
			.sql("""
					select bool_and(i.sessions <= (select count(*) from care_session s join scheduling_appointment_v a on a.id = s.appointment_id
					                               where s.pathway_id = i.pathway_id and s.position = i.position and a.status = 'COMPLETED'))
					  from care_item i where i.pathway_id = :p
					""")
			.param("p", pathway)
			.query(Boolean.class)
			.single();
	}

	private boolean reexamBooked(long pathway) {
		return this.jdbc.sql("""
				select count(*) > 0 from care_session s join scheduling_appointment_v a on a.id = s.appointment_id
				 where s.pathway_id = :p and s.position is null and a.status not in ('CANCELLED', 'NO_SHOW')
				""").param("p", pathway).query(Boolean.class).single();
	}

	private Optional<Visit> visit(long appointmentId) {
		return this.jdbc.sql("""
				select a.id, a.patient_id, a.service_id, s.specialty_id, a.staff_id, a.starts_at, a.created_by
				  from scheduling_appointment_v a join catalog_service_v s on s.id = a.service_id
				 where a.id = :id and a.status <> 'CANCELLED'
				""")
			.param("id", appointmentId)
			.query((rs, n) -> new Visit(rs.getLong(1), rs.getLong(2), rs.getLong(3), (Long) rs.getObject(4),
					rs.getLong(5), rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7)))
			.optional();
	}

	private Optional<Session> session(long appointmentId) {
		return this.jdbc.sql("""
				select s.pathway_id, s.position, s.appointment_id, a.staff_id
				  from care_session s join scheduling_appointment_v a on a.id = s.appointment_id
				 where s.appointment_id = :id
				""")
			.param("id", appointmentId)
			.query((rs, n) -> new Session(rs.getLong(1), (Integer) rs.getObject(2), rs.getLong(3), rs.getLong(4)))
			.optional();
	}

	private String serviceName(long service) {
		return this.jdbc.sql("select name from catalog_service_v where id = :id")
			.param("id", service)
			.query(String.class)
			.optional()
			.orElse("—");
	}

	/** The login of a consultant (by their staff record), when they have one. */
	@Nullable Long consultantUser(@Nullable Long staffId) {
		if (staffId == null) {
			return null;
		}
		return this.jdbc.sql("select id from security_user_v where staff_id = :staff and enabled order by id limit 1")
			.param("staff", staffId)
			.query(Long.class)
			.optional()
			.orElse(null);
	}

	long step(long pathway, String kind, String actor, @Nullable Long appointment, @Nullable Long staff,
			@Nullable Integer position, @Nullable String note) {
		return step(pathway, kind, actor, this.clock.instant(), appointment, staff, position, note);
	}

	/** A step at a given moment (the demo's history); its id. */
	long step(long pathway, String kind, String actor, Instant at, @Nullable Long appointment, @Nullable Long staff,
			@Nullable Integer position, @Nullable String note) {
		// The first acceptance and the first attended session of a line date the pathway
		// for the report.
		String first = "ACCEPTED".equals(kind) ? "accepted_at"
				: "ATTENDED".equals(kind) && position != null ? "started_at" : null;
		if (first != null) {
			this.jdbc.sql("update care_pathway set " + first + " = coalesce(" + first + ", :at) where id = :p")
				.param("at", utc(at))
				.param("p", pathway)
				.update();
		}
		return this.jdbc.sql("""
				insert into care_step (pathway_id, kind, at, actor, appointment_id, staff_id, position, note)
				values (:p, :kind, :at, :actor, :appointment, :staff, :position, :note) returning id
				""")
			.param("p", pathway)
			.param("kind", kind)
			.param("at", utc(at))
			.param("actor", actor)
			.param("appointment", appointment)
			.param("staff", staff)
			.param("position", position)
			.param("note", note)
			.query(Long.class)
			.single();
	}

	static OffsetDateTime utc(Instant at) {
		return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
	}

}
