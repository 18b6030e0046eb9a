package dev.klinika.leads;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.organization.Branch;
import dev.klinika.organization.Branches;
import dev.klinika.organization.OrganizationQueries;
import dev.klinika.security.Role;
import dev.klinika.shared.PhoneNumber;
import dev.klinika.tasks.LeadNotBooked;
import dev.klinika.tasks.TaskKind;
import dev.klinika.tasks.TaskPriority;
import dev.klinika.tasks.Tasks;

/**
 * The response promise: a new lead is contacted within the clinic's limit (15 minutes by
 * default), counted in the branch's working hours, so a form sent at night is due 15
 * minutes after opening. A lead past its time turns red on the board and goes, once, to
 * the branch's senior admin as a task. A lead still not booked gets the automation rules'
 * LEAD_NOT_BOOKED follow-up.
 */
@Service
@Transactional
public class LeadSla {

	/** How long an open lead waits before the "not booked" rules look at it. */
	static final Duration NOT_BOOKED_AFTER = Duration.ofHours(1);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Tasks tasks;

	private final ApplicationEventPublisher events;

	private final MessageSource messages;

	private final OrganizationQueries organization;

	private final Branches branches;

	LeadSla(JdbcClient jdbc, Clock clock, Tasks tasks, ApplicationEventPublisher events, MessageSource messages,
			OrganizationQueries organization, Branches branches) {
		this.organization = organization;
		this.branches = branches;
		this.jdbc = jdbc;
		this.clock = clock;
		this.tasks = tasks;
		this.events = events;
		this.messages = messages;
	}

	/** The clinic's limit in working minutes. */
	@Transactional(readOnly = true)
	public int minutes() {
		return this.jdbc.sql("select sla_minutes from lead_policy where id = 1").query(Integer.class).single();
	}

	/** Changes the limit (1 minute to a day); new leads get it. */
	public void change(int minutes) {
		if (minutes < 1 || minutes > 1440) {
			throw new Leads.LeadRefused("SLA_RANGE");
		}
		this.jdbc.sql("update lead_policy set sla_minutes = :m, version = version + 1 where id = 1")
			.param("m", minutes)
			.update();
	}

	Instant now() {
		return this.clock.instant();
	}

	/** When a lead that came at this moment must be contacted by. */
	Instant due(@Nullable Long branch, Instant at, int minutes) {
		Optional<Branch> found = Optional.ofNullable(branch)
			.or(this.organization::mainBranch)
			.flatMap(this.branches::findById);
		if (found.isEmpty()) {
			return at.plus(Duration.ofMinutes(minutes));
		}
		Map<DayOfWeek, LocalTime[]> hours = new EnumMap<>(DayOfWeek.class);
		found.get().getHours().forEach(day -> hours.put(day.day(), new LocalTime[] { day.opens(), day.closes() }));
		return due(at, minutes, found.get().getZone(), hours);
	}

	/**
	 * Adds working minutes: time outside the day's opening hours does not count. A branch
	 * without hours works around the clock.
	 */
	static Instant due(Instant from, int minutes, ZoneId zone, Map<DayOfWeek, LocalTime[]> hours) {
		if (hours.isEmpty()) {
			return from.plus(Duration.ofMinutes(minutes));
		}
		ZonedDateTime at = from.atZone(zone);
		long left = Duration.ofMinutes(minutes).toSeconds();
		for (int day = 0; day < 15; day++) {
			LocalTime[] window = hours.get(at.getDayOfWeek());
			if (window != null) {
				ZonedDateTime opens = at.toLocalDate().atTime(window[0]).atZone(zone);
				ZonedDateTime closes = at.toLocalDate().atTime(window[1]).atZone(zone);
				if (at.isBefore(opens)) {
					at = opens;
				}
				if (at.isBefore(closes)) {
					long available = Duration.between(at, closes).toSeconds();
					if (left <= available) {
						return at.plusSeconds(left).toInstant();
					}
					left -= available;
				}
			}
			at = LocalDateTime.of(at.toLocalDate().plusDays(1), LocalTime.MIDNIGHT).atZone(zone);
		}
		return from.plus(Duration.ofMinutes(minutes));
	}

	/**
	 * Gives each new lead past its time to the senior admin of its branch, once (the lead
	 * is marked escalated in the same transaction as the task).
	 */
	public int escalate() {
		record Late(long id, @Nullable Long branchId, @Nullable String name, @Nullable String phone,
				@Nullable Long patientId) {
		}
		List<Late> late = this.jdbc.sql("""
				update lead set escalated_at = :now
				 where id in (select id from lead where contacted_at is null and escalated_at is null and stage = 'NEW'
				                 and sla_due_at < :now order by sla_due_at limit 200 for update skip locked)
				returning id, branch_id, name, phone, patient_id
				""").param("now", Leads.utc(now())).query(Late.class).list();
		Long fallback = late.isEmpty() ? null : this.organization.mainBranch().orElseThrow();
		for (Late lead : late) {
			String who = who(lead.name(), lead.phone());
			String title = this.messages.getMessage("leads.task.late", new Object[] { who },
					Locale.forLanguageTag("ru"));
			this.tasks.createFor(Tasks.NewTask
				.forRole(Role.SENIOR_ADMIN, lead.branchId() != null ? lead.branchId() : fallback, title,
						TaskKind.FOLLOW_UP, now())
				.about(lead.patientId())
				.withPriority(TaskPriority.HIGH)
				.causedBy("lead", lead.id()));
		}
		return late.size();
	}

	/**
	 * Passes the leads open for over an hour (in the last week) to the LEAD_NOT_BOOKED
	 * rules, once per lead: the lead is marked and its event published in one
	 * transaction, and the rules take it after the commit (from the event publication
	 * log, so a crash in between loses nothing). Answers how many leads were passed.
	 */
	@Transactional
	public int notBooked() {
		record Open(long id, @Nullable Long branchId, @Nullable String name, @Nullable String phone,
				@Nullable Long patientId) {
		}
		List<Open> open = this.jdbc.sql("""
				update lead set not_booked_at = now()
				 where id in (select id from lead where stage in ('NEW', 'IN_PROGRESS') and created_at < :before
				                 and created_at > :since and not_booked_at is null
				               order by created_at limit 500 for update skip locked)
				returning id, branch_id, name, phone, patient_id
				""")
			.param("before", Leads.utc(now().minus(NOT_BOOKED_AFTER)))
			.param("since", Leads.utc(now().minus(Duration.ofDays(7))))
			.query(Open.class)
			.list();
		for (Open lead : open) {
			this.events.publishEvent(
					new LeadNotBooked(lead.id(), lead.branchId(), lead.patientId(), who(lead.name(), lead.phone())));
		}
		return open.size();
	}

	static String who(@Nullable String name, @Nullable String phone) {
		String number = phone == null ? null : PhoneNumber.displayOf(phone);
		if (name != null && number != null) {
			return name + ", " + number;
		}
		return name != null ? name : number != null ? number : "?";
	}

	/** The response watch: every minute, on one node. */
	@Bean
	static com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> leadSlaJob(LeadSla sla) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks
			.recurring("lead-sla", com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.ofMinutes(1))
			.execute((instance, context) -> {
				sla.escalate();
				sla.notBooked();
			});
	}

}
