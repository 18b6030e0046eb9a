package dev.klinika.care;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.shared.Money;

/**
 * The demo clinic's prescriptions, written by the care module itself: the courses the
 * demo's patients came to (massage, exercise therapy, manual therapy) become pathways
 * prescribed at their last doctor's visit before, with the course's visits as sessions,
 * so that some are completed, some running, some stopped after a session or two; and a
 * share of the other first visits at the neurologist, the orthopaedist and the dentist
 * get a prescription or a staged plan the patient declined, has not answered, or accepted
 * and never booked. The stall watch then stalls those that waited too long, with their
 * tasks, as it would in a clinic.
 */
@Component
public class DemoPrescriptions {

	private static final Logger log = LoggerFactory.getLogger(DemoPrescriptions.class);

	private static final List<String> DOCTORS = List.of("Невролог", "Травматолог-ортопед", "Стоматолог-терапевт",
			"Стоматолог-хирург");

	private static final List<String> DECLINES = List.of("Дорого, подумаю", "Нет времени на курс",
			"Будет лечиться в другой клинике", "Далеко ездить", "Хочет сначала второе мнение");

	/** Prescriptions without a course, per specialty: service codes, sessions, stage. */
	private static final List<Line> SPINE = List.of(new Line("MAS-BACK", 10, 2, 1, null),
			new Line("LFK-SPINE", 8, 2, 1, 1));

	private static final List<Line> JOINT = List.of(new Line("PHY-MAGN", 10, 3, 1, null),
			new Line("LFK-REHAB", 8, 2, 1, null));

	private static final List<Line> TEETH = List.of(new Line("DEN-HYG", 1, 1, 1, null), new Line("DEN-CAR", 3, 2, 2, 1),
			new Line("DEN-ENDO1", 1, 1, 3, 2));

	/**
	 * A pathway whose wait ran out longer ago than this is written stalled, not left to
	 * the watch.
	 */
	private static final Duration STALLED_LONG_AGO = Duration.ofDays(12);

	private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

	private final JdbcClient jdbc;

	private final PathwayProgress progress;

	private final java.util.Map<Long, String> logins = new java.util.HashMap<>();

	private final java.util.Map<String, java.util.Optional<Long>> services = new java.util.HashMap<>();

	private final dev.klinika.catalog.CatalogQueries catalog;

	DemoPrescriptions(JdbcClient jdbc, PathwayProgress progress, dev.klinika.catalog.CatalogQueries catalog) {
		this.jdbc = jdbc;
		this.progress = progress;
		this.catalog = catalog;
	}

	/** A line of a demo prescription. */
	private record Line(String code, int sessions, int perWeek, int stage, @Nullable Integer after) {
	}

	/** A course the demo's patient came to, and the doctor's visit before it. */
	private record Course(long patient, long branch, long service, int sessions, long visit, long doctor,
			Instant prescribedAt) {
	}

	/** A visit at a doctor with no course after it. */
	private record FirstVisit(long id, long patient, long branch, long doctor, String specialty, Instant endedAt) {
	}

	/** A session of a course: the visit, its status, when it ended. */
	private record Session(long visit, long staff, String status, Instant startsAt, Instant endsAt, Instant bookedAt) {
	}

	/** Writes the demo's pathways; how many. */
	@Transactional
	public int generate(Random random, Instant now) {
		int made = 0;
		for (Course course : courses()) {
			made += course(course, random, now);
		}
		List<FirstVisit> visits = doctorsVisits();
		for (int i = 0; i < visits.size(); i += 6) {
			made += plan(visits.get(i), random, now);
		}
		PathwayProgress.Run run = this.progress.stalls();
		log.info("Demo care: {} pathways, {} stalled at once", made, run.stalled());
		return made;
	}

	private List<Course> courses() {
		return this.jdbc.sql("""
				with course as (
				  select a.patient_id, a.branch_id, a.service_id, min(a.starts_at) as first_at, k.visits
				    from scheduling_appointment_v a
				    join (select service_id, max(visits) as visits from catalog_package_v
				           where kind = 'VISITS' and active group by service_id) k on k.service_id = a.service_id
				   where a.status <> 'CANCELLED'
				   group by a.patient_id, a.branch_id, a.service_id, k.visits having count(*) >= 2)
				select c.patient_id, c.branch_id, c.service_id, c.visits, v.id, v.staff_id, v.ends_at
				  from course c
				  cross join lateral (
				    select a.id, a.staff_id, a.ends_at from scheduling_appointment_v a
				      join catalog_service_v s on s.id = a.service_id
				      join organization_specialty_v sp on sp.id = s.specialty_id
				     where a.patient_id = c.patient_id and a.branch_id = c.branch_id and a.status = 'COMPLETED'
				       and a.starts_at < c.first_at and a.starts_at > c.first_at - interval '90 days'
				       and sp.name in (:doctors)
				     order by a.starts_at desc limit 1) v
				 order by c.patient_id, c.service_id limit 600
				""")
			.param("doctors", DOCTORS)
			.query((rs, n) -> new Course(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5),
					rs.getLong(6), rs.getObject(7, OffsetDateTime.class).toInstant()))
			.list();
	}

	/**
	 * Each patient's latest visit at one of the doctors over the last 200 days, for those
	 * with no pathway yet.
	 */
	private List<FirstVisit> doctorsVisits() {
		return this.jdbc.sql("""
				select distinct on (a.patient_id) a.id, a.patient_id, a.branch_id, a.staff_id, sp.name, a.ends_at
				  from scheduling_appointment_v a
				  join catalog_service_v s on s.id = a.service_id
				  join organization_specialty_v sp on sp.id = s.specialty_id
				 where a.status = 'COMPLETED' and sp.name in (:doctors)
				   and a.ends_at > now() - interval '200 days' and a.ends_at < now()
				   and not exists (select 1 from care_pathway p where p.patient_id = a.patient_id)
				 order by a.patient_id, a.starts_at desc
				""")
			.param("doctors", DOCTORS)
			.query((rs, n) -> new FirstVisit(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
					rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant()))
			.list();
	}

	/**
	 * A course as a pathway: its visits are the sessions; what became of them decides the
	 * status, and one left without a booking for over two months was abandoned.
	 */
	private int course(Course course, Random random, Instant now) {
		List<Session> sessions = this.jdbc.sql("""
				select id, staff_id, status, starts_at, ends_at, created_at from scheduling_appointment_v
				 where patient_id = :patient and branch_id = :branch and service_id = :service
				   and starts_at > :after and status <> 'CANCELLED'
				   and not exists (select 1 from care_session s where s.appointment_id = scheduling_appointment_v.id)
				 order by starts_at limit :sessions
				""")
			.param("patient", course.patient())
			.param("branch", course.branch())
			.param("service", course.service())
			.param("after", PathwayProgress.utc(course.prescribedAt()))
			.param("sessions", course.sessions())
			.query((rs, n) -> new Session(rs.getLong(1), rs.getLong(2), rs.getString(3),
					rs.getObject(4, OffsetDateTime.class).toInstant(),
					rs.getObject(5, OffsetDateTime.class).toInstant(),
					rs.getObject(6, OffsetDateTime.class).toInstant()))
			.list();
		if (sessions.isEmpty()) {
			return 0;
		}
		Instant at = course.prescribedAt();
		long pathway = insertPathway(course.patient(), course.branch(), course.visit(), course.doctor(), at);
		BigDecimal price = price(course.service(), at);
		// Six courses in ten were prescribed as long as the patient came: they complete.
		int came = (int) sessions.stream().filter(s -> "COMPLETED".equals(s.status())).count();
		int prescribed = random.nextInt(10) < 6 && came >= 2 ? came : course.sessions();
		item(pathway, 1, course.service(), prescribed, 2, 1, null, price);
		String doctor = login(course.doctor());
		step(pathway, "PRESCRIBED", doctor, at, course.visit(), course.doctor(), null, null);
		int attended = 0;
		boolean ahead = false;
		Instant last = at;
		boolean accepted = false;
		for (Session s : sessions) {
			if (attended >= prescribed) {
				break;
			}
			Instant booked = s.bookedAt().isBefore(at) ? at.plus(Duration.ofHours(1)) : s.bookedAt();
			this.jdbc.sql(
					"insert into care_session (pathway_id, position, appointment_id, attached_at) values (:p, 1, :a, :at)")
				.param("p", pathway)
				.param("a", s.visit())
				.param("at", PathwayProgress.utc(booked))
				.update();
			step(pathway, "BOOKED", "admin", booked, s.visit(), s.staff(), 1, null);
			if (!accepted) {
				step(pathway, "ACCEPTED", "consultant", booked, s.visit(), null, null, null);
				accepted = true;
			}
			if ("COMPLETED".equals(s.status())) {
				step(pathway, "ATTENDED", "system", s.endsAt(), s.visit(), s.staff(), 1, null);
				attended++;
				last = s.endsAt();
			}
			else if ("NO_SHOW".equals(s.status())) {
				step(pathway, "MISSED", "system", s.endsAt(), s.visit(), s.staff(), 1, null);
				last = s.endsAt();
			}
			else if (s.startsAt().isAfter(now)) {
				ahead = true;
			}
		}
		String status;
		Instant ended = null;
		if (attended >= prescribed) {
			status = "COMPLETED";
			ended = last;
			step(pathway, "COMPLETED", "system", last, null, null, null, null);
		}
		else if (!ahead && last.isBefore(now.minus(Duration.ofDays(67)))) {
			status = "ABANDONED";
			ended = last.plus(Duration.ofDays(67));
			step(pathway, "STALLED", "system", last.plus(Duration.ofDays(7)), null, null, null, null);
			step(pathway, "ABANDONED", "system", ended, null, null, null, null);
		}
		else if (!ahead && last.isBefore(now.minus(STALLED_LONG_AGO))) {
			// Stalled weeks ago: its call was made then (no task today); the recent ones
			// are left to the stall watch, which gives them their tasks.
			status = "STALLED";
			step(pathway, "STALLED", "system", last.plus(Duration.ofDays(7)), null, null, null, null);
		}
		else {
			status = attended > 0 ? "IN_PROGRESS" : "ACCEPTED";
		}
		finish(pathway, status, ended, "ABANDONED".equals(status) || "STALLED".equals(status) ? 1 : 0, null);
		return 1;
	}

	/**
	 * A prescription at a doctor's visit without a course after it: declined, not
	 * answered yet (when recent), or accepted and never booked.
	 */
	private int plan(FirstVisit visit, Random random, Instant now) {
		List<Line> lines = visit.specialty().startsWith("Стоматолог") ? TEETH
				: "Невролог".equals(visit.specialty()) ? SPINE : JOINT;
		Instant at = visit.endedAt();
		long pathway = insertPathway(visit.patient(), visit.branch(), visit.id(), visit.doctor(), at);
		int position = 1;
		for (Line line : lines) {
			Long service = this.services
				.computeIfAbsent(line.code(),
						code -> this.jdbc.sql("select id from catalog_service_v where code = :code")
							.param("code", code)
							.query(Long.class)
							.optional())
				.orElse(null);
			if (service == null) {
				continue;
			}
			item(pathway, position++, service, line.sessions(), line.perWeek(), line.stage(), line.after(),
					price(service, at));
		}
		step(pathway, "PRESCRIBED", login(visit.doctor()), at, visit.id(), visit.doctor(), null, null);
		boolean recent = at.isAfter(now.minus(Duration.ofDays(14)));
		int dice = random.nextInt(100);
		if (recent && dice < 50) {
			finish(pathway, "PROPOSED", null, 0, null);
		}
		else if (dice < 45) {
			String reason = DECLINES.get(random.nextInt(DECLINES.size()));
			step(pathway, "DECLINED", "consultant", at.plus(Duration.ofDays(1)), null, null, null, reason);
			finish(pathway, "DECLINED", at.plus(Duration.ofDays(1)), 0, reason);
		}
		else if (at.isBefore(now.minus(Duration.ofDays(67)))) {
			step(pathway, "ACCEPTED", "consultant", at, null, null, null, null);
			step(pathway, "STALLED", "system", at.plus(Duration.ofDays(7)), null, null, null, null);
			step(pathway, "ABANDONED", "system", at.plus(Duration.ofDays(67)), null, null, null, null);
			finish(pathway, "ABANDONED", at.plus(Duration.ofDays(67)), 1, null);
		}
		else if (at.isBefore(now.minus(STALLED_LONG_AGO))) {
			step(pathway, "ACCEPTED", "consultant", at, null, null, null, null);
			step(pathway, "STALLED", "system", at.plus(Duration.ofDays(7)), null, null, null, null);
			finish(pathway, "STALLED", null, 1, null);
		}
		else {
			step(pathway, "ACCEPTED", "consultant", at, null, null, null, null);
			finish(pathway, "ACCEPTED", null, 0, null);
		}
		return 1;
	}

	private long insertPathway(long patient, long branch, long visit, long doctor, Instant at) {
		return this.jdbc.sql("""
				insert into care_pathway (patient_id, branch_id, appointment_id, prescribed_by, created_by, created_at)
				values (:patient, :branch, :visit, :doctor, 'demo', :at) returning id
				""")
			.param("patient", patient)
			.param("branch", branch)
			.param("visit", visit)
			.param("doctor", doctor)
			.param("at", PathwayProgress.utc(at))
			.query(Long.class)
			.single();
	}

	private void item(long pathway, int position, long service, int sessions, int perWeek, int stage,
			@Nullable Integer after, @Nullable BigDecimal price) {
		this.jdbc.sql("""
				insert into care_item (pathway_id, position, service_id, sessions, per_week, stage, after_position,
				                       unit_price)
				values (:p, :position, :service, :sessions, :perWeek, :stage, :after, :price)
				""")
			.param("p", pathway)
			.param("position", position)
			.param("service", service)
			.param("sessions", sessions)
			.param("perWeek", perWeek)
			.param("stage", stage)
			.param("after", after)
			.param("price", price)
			.update();
	}

	/**
	 * The pathway's status and dates as its steps left them, its category (the first
	 * line's) and its estimate (the lines at their prices).
	 */
	private void finish(long pathway, String status, @Nullable Instant ended, int stalls, @Nullable String reason) {
		this.jdbc
			.sql("""
					update care_pathway p set status = :status, ended_at = :ended, stalls = :stalls, decline_reason = :reason,
					       stalled_at = (select max(at) from care_step where pathway_id = p.id and kind = 'STALLED'),
					       status_changed_at = coalesce(:ended, (select max(at) from care_step where pathway_id = p.id)),
					       category_id = (select s.category_id from care_item i join catalog_service_v s on s.id = i.service_id
					                       where i.pathway_id = p.id order by i.position limit 1),
					       estimate = (select coalesce(sum(i.sessions * i.unit_price), 0) from care_item i where i.pathway_id = p.id)
					 where p.id = :p
					""")
			.param("status", status)
			.param("ended", ended == null ? null : PathwayProgress.utc(ended))
			.param("stalls", stalls)
			.param("reason", reason)
			.param("p", pathway)
			.update();
	}

	private void step(long pathway, String kind, String actor, Instant at, @Nullable Long visit, @Nullable Long staff,
			@Nullable Integer position, @Nullable String note) {
		this.progress.step(pathway, kind, actor, at, visit, staff, position, note);
	}

	/**
	 * The service's price on the day (in the demo's Moscow time), as the form takes it.
	 */
	private @Nullable BigDecimal price(long service, Instant at) {
		return this.catalog.priceOn(service, LocalDate.ofInstant(at, MOSCOW)).map(Money::amount).orElse(null);
	}

	/** The doctor's login, for the step's "who": the system's when they have none. */
	private String login(long staff) {
		return this.logins.computeIfAbsent(staff,
				id -> this.jdbc.sql("select username from security_user_v where staff_id = :staff order by id limit 1")
					.param("staff", id)
					.query(String.class)
					.optional()
					.orElse("system"));
	}

}
