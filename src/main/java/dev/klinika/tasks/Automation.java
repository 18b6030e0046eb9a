package dev.klinika.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.catalog.MedicalService;
import dev.klinika.catalog.MedicalServices;
import dev.klinika.patients.PatientsMerged;
import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.AppointmentEvents.AppointmentBooked;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCompleted;
import dev.klinika.scheduling.AppointmentEvents.AppointmentNoShow;
import dev.klinika.scheduling.Booking;
import dev.klinika.security.Role;

/**
 * The automation rules at work: WHEN a trigger (a no-show, a completed service that
 * repeats, a first visit, a finished course) AND its conditions THEN its action (a task
 * for a role of the branch, a message for the messaging module to send). Each rule fires
 * once per cause: the firing is recorded under a unique (rule, cause) in the same
 * transaction as its action, so an event delivered again after a restart does nothing
 * twice.
 */
@Service
public class Automation {

	private final JdbcClient jdbc;

	private final Tasks tasks;

	private final Booking booking;

	private final MedicalServices services;

	private final ApplicationEventPublisher events;

	private final JsonMapper json;

	private final Clock clock;

	private final org.springframework.transaction.PlatformTransactionManager transactions;

	private final dev.klinika.organization.OrganizationQueries organization;

	Automation(JdbcClient jdbc, Tasks tasks, Booking booking, MedicalServices services,
			ApplicationEventPublisher events, JsonMapper json, Clock clock,
			org.springframework.transaction.PlatformTransactionManager transactions,
			dev.klinika.organization.OrganizationQueries organization) {
		this.organization = organization;
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.tasks = tasks;
		this.booking = booking;
		this.services = services;
		this.events = events;
		this.json = json;
		this.clock = clock;
	}

	/** When a rule fires. */
	public enum Trigger {

		APPOINTMENT_NO_SHOW, APPOINTMENT_CANCELLED, APPOINTMENT_COMPLETED, REPEATING_SERVICE_COMPLETED,
		FIRST_VISIT_COMPLETED, COURSE_COMPLETED, LEAD_NOT_BOOKED, TASK_OVERDUE

	}

	/** Which causes a rule takes: empty lists and nulls take all. */
	public record Conditions(@Nullable List<Long> categoryIds, @Nullable List<Long> branchIds, @Nullable String tag,
			@Nullable Integer minAge, @Nullable Integer maxAge, @Nullable Boolean noFutureBookingOfService,
			@Nullable Boolean noFutureBooking) {
	}

	/** What a rule does: a task for a role, or a message for the messaging module. */
	public record Action(String type, @Nullable TaskKind kind, @Nullable String title, @Nullable Role ownerRole,
			@Nullable Integer delayMinutes, @Nullable Integer delayDays, @Nullable Integer leadDays,
			@Nullable TaskPriority priority, @Nullable String message, @Nullable String tag) {
	}

	/** A rule as stored. */
	public record Rule(long id, String code, String name, Trigger trigger, Conditions conditions, Action action,
			boolean enabled, boolean builtIn, int version) {
	}

	/**
	 * A message the messaging module should send a patient (a thank-you after a first
	 * visit).
	 */
	public record PatientMessageRequested(long patient, String message, String cause) {
	}

	/** What a visit was, for the rules to look at. */
	record Visit(Appointment appointment, MedicalService service, ZoneId zone) {
	}

	@ApplicationModuleListener
	void on(AppointmentNoShow event) {
		visit(event.appointment()).ifPresent(visit -> fire(Trigger.APPOINTMENT_NO_SHOW, visit));
	}

	@ApplicationModuleListener
	void on(AppointmentCancelled event) {
		visit(event.appointment()).ifPresent(visit -> fire(Trigger.APPOINTMENT_CANCELLED, visit));
	}

	@ApplicationModuleListener
	void on(AppointmentCompleted event) {
		visit(event.appointment()).ifPresent(this::completed);
	}

	private void completed(Visit visit) {
		fire(Trigger.APPOINTMENT_COMPLETED, visit);
		if (visit.service().getRepeatInterval().isPresent()) {
			fire(Trigger.REPEATING_SERVICE_COMPLETED, visit);
		}
		if (firstVisit(visit.appointment())) {
			fire(Trigger.FIRST_VISIT_COMPLETED, visit);
		}
		if (courseFinished(visit.appointment())) {
			fire(Trigger.COURSE_COMPLETED, visit);
		}
	}

	/** What a replay did: visits looked at, rule firings made, and how long it took. */
	public record Replay(int visits, int firings, Duration took) {
	}

	/**
	 * Passes the completed visits and no-shows of a period through the rules again, in
	 * time order, one transaction per visit, as if their events arrived now: what fired
	 * before fires nothing (the firings are unique per rule and cause). Used to seed a
	 * new clinic's tasks from its history and to measure the rules' speed.
	 */
	public Replay replay(Instant from, Instant to) {
		long started = System.nanoTime();
		int before = firingCount();
		List<Long> ids = this.jdbc.sql("""
				select id from appointment where status in ('COMPLETED', 'NO_SHOW')
				   and lower(during) >= :from and lower(during) < :to order by lower(during)
				""").param("from", Tasks.utc(from)).param("to", Tasks.utc(to)).query(Long.class).list();
		org.springframework.transaction.support.TransactionTemplate transaction = new org.springframework.transaction.support.TransactionTemplate(
				this.transactions);
		for (long id : ids) {
			transaction.executeWithoutResult(status -> visit(id).ifPresent(visit -> {
				if (visit.appointment().status() == dev.klinika.scheduling.AppointmentStatus.NO_SHOW) {
					fire(Trigger.APPOINTMENT_NO_SHOW, visit);
				}
				else {
					completed(visit);
				}
			}));
		}
		return new Replay(ids.size(), firingCount() - before, Duration.ofNanos(System.nanoTime() - started));
	}

	private int firingCount() {
		return this.jdbc.sql("select count(*) from rule_firing").query(Integer.class).single();
	}

	/** A booking of the service ends the recall tasks waiting for it. */
	@ApplicationModuleListener
	void on(AppointmentBooked event) {
		this.tasks.closeFor(event.patient(), TaskKind.BOOK, event.service(), "Записан на " + event.start());
	}

	/** Tasks follow a merged card to the card that stays. */
	@ApplicationModuleListener
	void on(PatientsMerged merged) {
		this.jdbc.sql("update task set patient_id = :survivor where patient_id = :merged")
			.param("survivor", merged.survivor())
			.param("merged", merged.merged())
			.update();
	}

	@Transactional
	void fire(Trigger trigger, Visit visit) {
		for (Rule rule : rules(trigger)) {
			if (!rule.enabled() || !matches(rule.conditions(), visit)) {
				continue;
			}
			String cause = "appointment:" + visit.appointment().id();
			Long firing = claim(rule, cause);
			if (firing == null) {
				continue;
			}
			String result;
			Long task = null;
			try {
				if ("MESSAGE".equals(rule.action().type())) {
					this.events.publishEvent(new PatientMessageRequested(visit.appointment().patientId(),
							String.valueOf(rule.action().message()), cause));
					result = "message " + rule.action().message();
				}
				else if ("TAG".equals(rule.action().type()) && rule.action().tag() != null) {
					this.jdbc
						.sql("insert into patient_tag (patient_id, tag) values (:patient, :tag) on conflict do nothing")
						.param("patient", visit.appointment().patientId())
						.param("tag", rule.action().tag().trim())
						.update();
					result = "tag " + rule.action().tag();
				}
				else {
					task = this.tasks.createFor(taskFor(rule, visit));
					result = "task " + task;
				}
			}
			catch (TaskRefused refused) {
				result = "refused: " + refused.reason();
			}
			record(firing, result, task);
		}
	}

	/**
	 * Claims a rule's firing for a cause, or answers {@code null} when it fired for that
	 * cause before: the unique (rule, cause) is what makes every rule fire once.
	 */
	private @Nullable Long claim(Rule rule, String cause) {
		return this.jdbc.sql("""
				insert into rule_firing (rule_id, cause_key, result) values (:rule, :cause, 'firing')
				on conflict (rule_id, cause_key) do nothing returning id
				""").param("rule", rule.id()).param("cause", cause).query(Long.class).optional().orElse(null);
	}

	/** What a claimed firing did, for the rule's log. */
	private void record(long firing, String result, @Nullable Long task) {
		this.jdbc.sql("update rule_firing set result = :result, task_id = :task where id = :id")
			.param("result", result)
			.param("task", task)
			.param("id", firing)
			.update();
	}

	private Tasks.NewTask taskFor(Rule rule, Visit visit) {
		Action action = rule.action();
		Appointment appointment = visit.appointment();
		Instant due = dueOf(action, visit);
		String title = String.valueOf(action.title()).replace("{service}", visit.service().getName());
		return new Tasks.NewTask(title, action.kind() == null ? TaskKind.CUSTOM : action.kind(),
				appointment.patientId(), appointment.branchId(), null,
				action.ownerRole() == null ? Role.ADMIN : action.ownerRole(), due,
				action.priority() == null ? TaskPriority.NORMAL : action.priority(), null, "appointment",
				appointment.id(), visit.service().getId(), rule.id());
	}

	/**
	 * When the task is due: a recall at the visit's date plus the service's repeat
	 * interval, less the lead time; otherwise after the delay from now.
	 */
	private Instant dueOf(Action action, Visit visit) {
		Instant now = this.clock.instant();
		if (action.leadDays() != null && visit.service().getRepeatInterval().isPresent()) {
			Period interval = visit.service().getRepeatInterval().get();
			LocalDate visitDay = visit.appointment().time().start().atZone(visit.zone()).toLocalDate();
			return visitDay.plus(interval).minusDays(action.leadDays()).atTime(10, 0).atZone(visit.zone()).toInstant();
		}
		Duration delay = Duration.ofMinutes(action.delayMinutes() == null ? 0 : action.delayMinutes())
			.plusDays(action.delayDays() == null ? 0 : action.delayDays());
		return now.plus(delay);
	}

	private boolean matches(Conditions conditions, Visit visit) {
		Appointment appointment = visit.appointment();
		if (conditions.branchIds() != null && !conditions.branchIds().isEmpty()
				&& !conditions.branchIds().contains(appointment.branchId())) {
			return false;
		}
		if (conditions.categoryIds() != null && !conditions.categoryIds().isEmpty()
				&& !conditions.categoryIds().contains(visit.service().getCategoryId())) {
			return false;
		}
		if (conditions.tag() != null && !conditions.tag().isBlank() && !this.jdbc
			.sql("select count(*) > 0 from patient_tag where patient_id = :patient and lower(tag) = lower(:tag)")
			.param("patient", appointment.patientId())
			.param("tag", conditions.tag().trim())
			.query(Boolean.class)
			.single()) {
			return false;
		}
		if (conditions.minAge() != null || conditions.maxAge() != null) {
			Integer age = this.jdbc.sql("select extract(year from age(birth_date))::int from patient where id = :id")
				.param("id", appointment.patientId())
				.query(Integer.class)
				.optional()
				.orElse(null);
			if (age == null || (conditions.minAge() != null && age < conditions.minAge())
					|| (conditions.maxAge() != null && age > conditions.maxAge())) {
				return false;
			}
		}
		boolean onlyService = Boolean.TRUE.equals(conditions.noFutureBookingOfService());
		if (onlyService || Boolean.TRUE.equals(conditions.noFutureBooking())) {
			boolean booked = this.jdbc.sql("""
					select count(*) > 0 from appointment where patient_id = :patient and lower(during) > :now
					   and status in ('BOOKED', 'CONFIRMED') and (not :onlyService or service_id = :service)
					""")
				.param("patient", appointment.patientId())
				.param("now", OffsetDateTime.now(this.clock))
				.param("onlyService", onlyService)
				.param("service", appointment.serviceId())
				.query(Boolean.class)
				.single();
			return !booked;
		}
		return true;
	}

	private boolean firstVisit(Appointment appointment) {
		return !this.jdbc.sql("""
				select count(*) > 0 from appointment where patient_id = :patient and status = 'COMPLETED' and id <> :id
				   and lower(during) <= :start
				""")
			.param("patient", appointment.patientId())
			.param("id", appointment.id())
			.param("start", Tasks.utc(appointment.time().start()))
			.query(Boolean.class)
			.single();
	}

	private boolean courseFinished(Appointment appointment) {
		return appointment.seriesId() != null && !this.jdbc
			.sql("""
					select count(*) > 0 from appointment where series_id = :series and status in ('BOOKED', 'CONFIRMED', 'CHECKED_IN', 'IN_PROGRESS')
					""")
			.param("series", appointment.seriesId())
			.query(Boolean.class)
			.single();
	}

	private Optional<Visit> visit(long appointmentId) {
		return this.booking.find(appointmentId)
			.flatMap(appointment -> this.services.findById(appointment.serviceId())
				.map(service -> new Visit(appointment, service, zoneOf(appointment.branchId()))));
	}

	private ZoneId zoneOf(long branchId) {
		return ZoneId.of(this.jdbc.sql("select time_zone from branch where id = :id")
			.param("id", branchId)
			.query(String.class)
			.single());
	}

	/**
	 * Escalates overdue tasks: each task overdue for longer than a TASK_OVERDUE rule's
	 * delay gets one task for the rule's role in its branch (the senior admin by
	 * default). The rule's own tasks are never escalated by it, so it cannot feed itself.
	 */
	@Transactional
	public int escalateOverdue() {
		int made = 0;
		for (Rule rule : rules(Trigger.TASK_OVERDUE)) {
			if (!rule.enabled() || !"TASK".equals(rule.action().type())) {
				continue;
			}
			int minutes = rule.action().delayMinutes() == null ? 60 : rule.action().delayMinutes();
			List<Task> overdue = TaskQueries.select(this.jdbc,
					"""
							t.status in ('OPEN', 'IN_PROGRESS') and t.due_at < :limit and (t.rule_id is null or t.rule_id <> :rule)
							   and not exists (select 1 from rule_firing f where f.rule_id = :rule and f.cause_key = 'task:' || t.id)
							 order by t.due_at
							""",
					java.util.Map.of("limit", Tasks.utc(this.clock.instant().minus(Duration.ofMinutes(minutes))),
							"rule", rule.id()),
					500);
			for (Task task : overdue) {
				Long firing = claim(rule, "task:" + task.id());
				if (firing == null) {
					continue;
				}
				Action action = rule.action();
				long created = this.tasks
					.createFor(new Tasks.NewTask(String.valueOf(action.title()).replace("{task}", task.title()),
							action.kind() == null ? TaskKind.FOLLOW_UP : action.kind(), task.patientId(),
							task.branchId(), null, action.ownerRole() == null ? Role.SENIOR_ADMIN : action.ownerRole(),
							this.clock.instant(), action.priority() == null ? TaskPriority.HIGH : action.priority(),
							null, "task", task.id(), null, rule.id()));
				record(firing, "task " + created, created);
				made++;
			}
		}
		return made;
	}

	/**
	 * A lead still not booked: each LEAD_NOT_BOOKED rule (for the lead's branch) makes
	 * its task once per lead, due after the rule's delay. Answers how many fired.
	 */
	@Transactional
	public int leadNotBooked(long lead, @Nullable Long branch, @Nullable Long patient, String who) {
		int fired = 0;
		for (Rule rule : rules(Trigger.LEAD_NOT_BOOKED)) {
			Conditions conditions = rule.conditions();
			if (!rule.enabled() || (conditions.branchIds() != null && !conditions.branchIds().isEmpty()
					&& (branch == null || !conditions.branchIds().contains(branch)))) {
				continue;
			}
			Long firing = claim(rule, "lead:" + lead);
			if (firing == null) {
				continue;
			}
			Action action = rule.action();
			if (!"TASK".equals(action.type())) {
				record(firing, "skipped: " + action.type(), null);
				continue;
			}
			long branchId = branch != null ? branch : this.organization.mainBranch().orElseThrow();
			Duration delay = Duration.ofMinutes(action.delayMinutes() == null ? 0 : action.delayMinutes())
				.plusDays(action.delayDays() == null ? 0 : action.delayDays());
			long created = this.tasks.createFor(new Tasks.NewTask(
					String.valueOf(action.title()).replace("{lead}", who).replace("{service}", who),
					action.kind() == null ? TaskKind.FOLLOW_UP : action.kind(), patient, branchId, null,
					action.ownerRole() == null ? Role.ADMIN : action.ownerRole(), this.clock.instant().plus(delay),
					action.priority() == null ? TaskPriority.NORMAL : action.priority(), who, "lead", lead, null,
					rule.id()));
			record(firing, "task " + created, created);
			fired++;
		}
		return fired;
	}

	/** The escalation job: every minute, on one node. */
	@org.springframework.context.annotation.Bean
	static com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> overdueEscalationJob(
			Automation automation) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks
			.recurring("overdue-escalation", com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.ofMinutes(1))
			.execute((instance, context) -> automation.escalateOverdue());
	}

	/** The rules of a trigger (all of them with {@code null}). */
	@Transactional(readOnly = true)
	public List<Rule> rules(@Nullable Trigger trigger) {
		return this.jdbc
			.sql("""
					select id, code, name, trigger, conditions::text as conditions, action::text as action, enabled, built_in,
					       version from automation_rule where (:trigger::varchar is null or trigger = :trigger) order by id
					""")
			.param("trigger", trigger == null ? null : trigger.name())
			.query((rs, n) -> new Rule(rs.getLong("id"), rs.getString("code"), rs.getString("name"),
					Trigger.valueOf(rs.getString("trigger")),
					this.json.readValue(rs.getString("conditions"), Conditions.class),
					this.json.readValue(rs.getString("action"), Action.class), rs.getBoolean("enabled"),
					rs.getBoolean("built_in"), rs.getInt("version")))
			.list();
	}

	/** Turns a rule on or off and changes its task's words, owner and timing. */
	@Transactional
	public void change(long ruleId, int version, boolean enabled, Action action, Conditions conditions) {
		if ((conditions.tag() != null && conditions.tag().length() > 50)
				|| (conditions.minAge() != null && (conditions.minAge() < 0 || conditions.minAge() > 120))
				|| (conditions.maxAge() != null && (conditions.maxAge() < 0 || conditions.maxAge() > 120))
				|| (conditions.minAge() != null && conditions.maxAge() != null
						&& conditions.minAge() > conditions.maxAge())) {
			throw new TaskRefused("CONDITIONS");
		}
		if ("TASK".equals(action.type()) && (action.title() == null || action.title().isBlank()
				|| action.title().length() > 300 || action.ownerRole() == null
				|| (action.delayMinutes() != null
						&& (action.delayMinutes() < 0 || action.delayMinutes() > 60 * 24 * 30))
				|| (action.delayDays() != null && (action.delayDays() < 0 || action.delayDays() > 730))
				|| (action.leadDays() != null && (action.leadDays() < 0 || action.leadDays() > 365)))) {
			throw new TaskRefused("RULE");
		}
		int updated = this.jdbc.sql("""
				update automation_rule set enabled = :enabled, action = cast(:action as jsonb),
				       conditions = cast(:conditions as jsonb), version = version + 1
				 where id = :id and version = :version
				""")
			.param("enabled", enabled)
			.param("action", this.json.writeValueAsString(action))
			.param("conditions", this.json.writeValueAsString(conditions))
			.param("id", ruleId)
			.param("version", version)
			.update();
		if (updated == 0) {
			throw new dev.klinika.shared.ConcurrentChange("rule " + ruleId + " was changed by someone else");
		}
	}

	/** One firing of a rule: when, for what, and what came of it. */
	public record Firing(Instant at, String cause, String result, @Nullable Long taskId) {
	}

	@Transactional(readOnly = true)
	public List<Firing> firings(long ruleId, int limit) {
		return this.jdbc.sql("""
				select fired_at, cause_key, result, task_id from rule_firing where rule_id = :rule
				 order by fired_at desc limit :limit
				""")
			.param("rule", ruleId)
			.param("limit", limit)
			.query((rs, n) -> new Firing(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
					rs.getString(3), (Long) rs.getObject(4)))
			.list();
	}

}
