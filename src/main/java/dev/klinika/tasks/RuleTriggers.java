package dev.klinika.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.catalog.MedicalServices;
import dev.klinika.organization.OrganizationQueries;
import dev.klinika.patients.PatientTags;
import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCompleted;
import dev.klinika.scheduling.AppointmentEvents.AppointmentNoShow;
import dev.klinika.scheduling.AppointmentStatus;
import dev.klinika.scheduling.Booking;
import dev.klinika.tasks.Automation.ActionType;
import dev.klinika.tasks.Automation.PatientMessageRequested;
import dev.klinika.tasks.Automation.Rule;
import dev.klinika.tasks.Automation.Trigger;
import dev.klinika.tasks.Automation.Visit;

/**
 * The rules at work: the events that trigger them (a no-show, a completed service that
 * repeats, a first visit, a finished course, a lead not booked) pass through the
 * {@link RuleEngine} and each matching rule does its action once per cause: the firing is
 * claimed under a unique (rule, cause) in the same transaction as its action, so an event
 * delivered again after a restart does nothing twice.
 */
@Service
public class RuleTriggers {

	private final Automation rules;

	private final JdbcClient jdbc;

	private final Tasks tasks;

	private final Booking booking;

	private final MedicalServices services;

	private final PatientTags tags;

	private final ApplicationEventPublisher events;

	private final OrganizationQueries organization;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final dev.klinika.care.Pathways pathways;

	RuleTriggers(Automation rules, JdbcClient jdbc, Tasks tasks, Booking booking, MedicalServices services,
			PatientTags tags, ApplicationEventPublisher events, OrganizationQueries organization,
			PlatformTransactionManager transactions, Clock clock, dev.klinika.care.Pathways pathways) {
		this.pathways = pathways;
		this.rules = rules;
		this.jdbc = jdbc;
		this.tasks = tasks;
		this.booking = booking;
		this.services = services;
		this.tags = tags;
		this.events = events;
		this.organization = organization;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
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

	/**
	 * A lead still not booked: each LEAD_NOT_BOOKED rule (for the lead's branch) makes
	 * its task once per lead, due after the rule's delay.
	 */
	@ApplicationModuleListener
	void on(LeadNotBooked lead) {
		for (Rule rule : this.rules.rules(Trigger.LEAD_NOT_BOOKED)) {
			if (!rule.enabled() || !RuleEngine.within(rule.conditions().branchIds(), lead.branch())) {
				continue;
			}
			Long firing = this.rules.claim(rule, "lead:" + lead.lead());
			if (firing == null) {
				continue;
			}
			if (rule.action().type() != ActionType.TASK) {
				this.rules.record(firing, "skipped: " + rule.action().type(), null);
				continue;
			}
			long branch = lead.branch() != null ? lead.branch() : this.organization.mainBranch().orElseThrow();
			long created = this.tasks.createFor(RuleEngine.taskFor(rule, lead, branch, this.clock.instant()));
			this.rules.record(firing, "task " + created, created);
		}
	}

	/**
	 * A package that ends soon with visits left: each PACKAGE_EXPIRING rule (for the
	 * package's branch) makes its task once per package.
	 */
	@ApplicationModuleListener
	void on(dev.klinika.billing.BillingEvents.PackageExpiring expiring) {
		java.time.ZoneId zone = this.organization.branchOption(expiring.branch())
			.map(dev.klinika.organization.OrganizationQueries.BranchOption::zone)
			.orElse(this.clock.getZone());
		for (Rule rule : this.rules.rules(Trigger.PACKAGE_EXPIRING)) {
			if (!rule.enabled() || !RuleEngine.within(rule.conditions().branchIds(), expiring.branch())) {
				continue;
			}
			Long firing = this.rules.claim(rule, "package:" + expiring.pkg());
			if (firing == null) {
				continue;
			}
			if (rule.action().type() != ActionType.TASK) {
				this.rules.record(firing, "skipped: " + rule.action().type(), null);
				continue;
			}
			long created = this.tasks.createFor(RuleEngine.taskFor(rule, expiring, zone, this.clock.instant()));
			this.rules.record(firing, "task " + created, created);
		}
	}

	private int completed(Visit visit) {
		// One visit's facts serve all four triggers' rules.
		Facts facts = new Facts(visit.appointment());
		int fired = fire(Trigger.APPOINTMENT_COMPLETED, visit, facts);
		if (visit.service().getRepeatInterval().isPresent()) {
			fired += fire(Trigger.REPEATING_SERVICE_COMPLETED, visit, facts);
		}
		if (firstVisit(visit.appointment())) {
			fired += fire(Trigger.FIRST_VISIT_COMPLETED, visit, facts);
		}
		// A course prescribed as a pathway completes with the pathway (see
		// PathwayTriggers);
		// a series booked without one, when its last session is done.
		if (courseFinished(visit.appointment()) && !this.pathways.attached(visit.appointment().id())) {
			fired += fire(Trigger.COURSE_COMPLETED, visit, facts);
		}
		return fired;
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
		// Counted here, not as a difference of the table's count: the scheduler's own
		// firings (a stall watch run, say) may land meanwhile.
		int fired = 0;
		List<Long> ids = this.jdbc.sql("""
				select id from scheduling_appointment_v where status in ('COMPLETED', 'NO_SHOW')
				   and starts_at >= :from and starts_at < :to order by starts_at
				""").param("from", Tasks.utc(from)).param("to", Tasks.utc(to)).query(Long.class).list();
		for (long id : ids) {
			Integer made = this.transaction
				.execute(status -> visit(id).map(visit -> (visit.appointment().status() == AppointmentStatus.NO_SHOW)
						? fire(Trigger.APPOINTMENT_NO_SHOW, visit) : completed(visit))
					.orElse(0));
			fired += (made != null) ? made : 0;
		}
		return new Replay(ids.size(), fired, Duration.ofNanos(System.nanoTime() - started));
	}

	@Transactional
	int fire(Trigger trigger, Visit visit) {
		return fire(trigger, visit, new Facts(visit.appointment()));
	}

	/** Fires the trigger's matching rules for the visit; returns the firings it made. */
	private int fire(Trigger trigger, Visit visit, Facts facts) {
		int fired = 0;
		for (Rule rule : this.rules.rules(trigger)) {
			if (!rule.enabled() || !RuleEngine.matches(rule.conditions(), visit.appointment().branchId(),
					visit.service().getCategoryId(), facts)) {
				continue;
			}
			String cause = "appointment:" + visit.appointment().id();
			Long firing = this.rules.claim(rule, cause);
			if (firing == null) {
				continue;
			}
			String result;
			Long task = null;
			try {
				switch (rule.action().type()) {
					case MESSAGE -> {
						this.events.publishEvent(new PatientMessageRequested(visit.appointment().patientId(),
								String.valueOf(rule.action().message()), cause));
						result = "message " + rule.action().message();
					}
					case TAG -> {
						if (rule.action().tag() != null) {
							this.tags.add(visit.appointment().patientId(), rule.action().tag());
						}
						result = "tag " + rule.action().tag();
					}
					case TASK -> {
						task = this.tasks.createFor(RuleEngine.taskFor(rule, visit, this.clock.instant()));
						result = "task " + task;
					}
					default -> throw new IllegalStateException(rule.action().type().name());
				}
			}
			catch (TaskRefused refused) {
				result = "refused: " + refused.reason();
			}
			this.rules.record(firing, result, task);
			fired++;
		}
		return fired;
	}

	/**
	 * The patient's facts for the conditions, each read from its owner when first asked.
	 * The age and the bookings ahead are kept for the visit's rules (no action changes
	 * them); tags are read each time, since a rule's action may have just added one.
	 */
	private final class Facts implements RuleEngine.Facts {

		private final Appointment appointment;

		private boolean ageRead;

		private @Nullable Integer age;

		private final java.util.Map<Boolean, Boolean> bookedAhead = new java.util.HashMap<>();

		Facts(Appointment appointment) {
			this.appointment = appointment;
		}

		@Override
		public boolean tagged(String tag) {
			return RuleTriggers.this.tags.has(this.appointment.patientId(), tag);
		}

		@Override
		public @Nullable Integer age() {
			if (!this.ageRead) {
				this.age = RuleTriggers.this.jdbc
					.sql("select extract(year from age(birth_date))::int from patients_card_v where id = :id")
					.param("id", this.appointment.patientId())
					.query(Integer.class)
					.optional()
					.orElse(null);
				this.ageRead = true;
			}
			return this.age;
		}

		@Override
		public boolean bookedAhead(boolean sameService) {
			return this.bookedAhead.computeIfAbsent(sameService, this::readBookedAhead);
		}

		private boolean readBookedAhead(boolean sameService) {
			return RuleTriggers.this.jdbc.sql("""
					select count(*) > 0 from scheduling_appointment_v where patient_id = :patient and starts_at > :now
					   and expected and (not :sameService or service_id = :service)
					""")
				.param("patient", this.appointment.patientId())
				.param("now", OffsetDateTime.now(RuleTriggers.this.clock))
				.param("sameService", sameService)
				.param("service", this.appointment.serviceId())
				.query(Boolean.class)
				.single();
		}

	}

	private boolean firstVisit(Appointment appointment) {
		return !this.jdbc.sql("""
				select count(*) > 0 from scheduling_appointment_v where patient_id = :patient and status = 'COMPLETED'
				   and id <> :id and starts_at <= :start
				""")
			.param("patient", appointment.patientId())
			.param("id", appointment.id())
			.param("start", Tasks.utc(appointment.time().start()))
			.query(Boolean.class)
			.single();
	}

	private boolean courseFinished(Appointment appointment) {
		return appointment.seriesId() != null && !this.jdbc
			.sql("select count(*) > 0 from scheduling_appointment_v where series_id = :series and open")
			.param("series", appointment.seriesId())
			.query(Boolean.class)
			.single();
	}

	Optional<Visit> visit(long appointmentId) {
		return this.booking.find(appointmentId)
			.flatMap(appointment -> this.services.findById(appointment.serviceId())
				.map(service -> new Visit(appointment, service, zoneOf(appointment.branchId()))));
	}

	private ZoneId zoneOf(long branchId) {
		return ZoneId.of(this.jdbc.sql("select time_zone from organization_branch_v where id = :id")
			.param("id", branchId)
			.query(String.class)
			.single());
	}

}
