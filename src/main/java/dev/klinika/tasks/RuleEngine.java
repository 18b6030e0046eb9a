package dev.klinika.tasks;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.klinika.scheduling.Appointment;
import dev.klinika.security.Role;
import dev.klinika.tasks.Automation.Action;
import dev.klinika.tasks.Automation.Conditions;
import dev.klinika.tasks.Automation.Rule;

/**
 * The rules' logic without a database: whether a visit meets a rule's conditions, when
 * its task is due and what the task says. What the conditions ask about the patient (a
 * tag, the age, bookings ahead) comes from {@link Facts}, so that unit tests can state
 * it.
 */
final class RuleEngine {

	private RuleEngine() {
	}

	/** What the conditions may ask about a visit's patient, looked up only when asked. */
	interface Facts {

		boolean tagged(String tag);

		@Nullable Integer age();

		/**
		 * Whether the patient is booked ahead: for the visit's service, or for anything.
		 */
		boolean bookedAhead(boolean sameService);

	}

	/** Whether a visit of a branch and a service category meets a rule's conditions. */
	static boolean matches(Conditions conditions, long branchId, @Nullable Long categoryId, Facts facts) {
		if (!within(conditions.branchIds(), branchId)) {
			return false;
		}
		if (conditions.categoryIds() != null && !conditions.categoryIds().isEmpty()
				&& (categoryId == null || !conditions.categoryIds().contains(categoryId))) {
			return false;
		}
		if (conditions.tag() != null && !conditions.tag().isBlank() && !facts.tagged(conditions.tag().strip())) {
			return false;
		}
		if (conditions.minAge() != null || conditions.maxAge() != null) {
			Integer age = facts.age();
			if (age == null || (conditions.minAge() != null && age < conditions.minAge())
					|| (conditions.maxAge() != null && age > conditions.maxAge())) {
				return false;
			}
		}
		boolean sameService = Boolean.TRUE.equals(conditions.noFutureBookingOfService());
		if (sameService || Boolean.TRUE.equals(conditions.noFutureBooking())) {
			return !facts.bookedAhead(sameService);
		}
		return true;
	}

	/** Whether a branch is among a rule's branches (an empty list takes every branch). */
	static boolean within(java.util.@Nullable List<Long> branchIds, @Nullable Long branch) {
		return branchIds == null || branchIds.isEmpty() || (branch != null && branchIds.contains(branch));
	}

	/** The delay an action waits before its task is due. */
	static Duration delayOf(Action action) {
		return Duration.ofMinutes(action.delayMinutes() == null ? 0 : action.delayMinutes())
			.plusDays(action.delayDays() == null ? 0 : action.delayDays());
	}

	/**
	 * When the task is due: a recall at the visit's date plus the service's repeat
	 * interval, less the lead time, at 10:00 in the branch's zone; otherwise after the
	 * delay from now.
	 */
	static Instant dueOf(Action action, Instant visitStart, ZoneId zone, Optional<Period> repeat, Instant now) {
		if (action.leadDays() != null && repeat.isPresent()) {
			LocalDate visitDay = visitStart.atZone(zone).toLocalDate();
			return visitDay.plus(repeat.get()).minusDays(action.leadDays()).atTime(10, 0).atZone(zone).toInstant();
		}
		return now.plus(delayOf(action));
	}

	/** The task a visit's rule makes. */
	static Tasks.NewTask taskFor(Rule rule, Automation.Visit visit, Instant now) {
		Action action = rule.action();
		Appointment appointment = visit.appointment();
		String title = String.valueOf(action.title()).replace("{service}", visit.service().getName());
		Instant due = dueOf(action, appointment.time().start(), visit.zone(), visit.service().getRepeatInterval(), now);
		return ruleTask(rule, appointment.branchId(), title, TaskKind.CUSTOM, Role.ADMIN, TaskPriority.NORMAL, due)
			.about(appointment.patientId())
			.causedBy("appointment", appointment.id())
			.forService(visit.service().getId());
	}

	/** The task a lead's rule makes. */
	static Tasks.NewTask taskFor(Rule rule, LeadNotBooked lead, long branchId, Instant now) {
		String title = String.valueOf(rule.action().title())
			.replace("{lead}", lead.who())
			.replace("{service}", lead.who());
		return ruleTask(rule, branchId, title, TaskKind.FOLLOW_UP, Role.ADMIN, TaskPriority.NORMAL,
				now.plus(delayOf(rule.action())))
			.about(lead.patient())
			.withNote(lead.who())
			.causedBy("lead", lead.lead());
	}

	/** The task a package's rule makes: call the patient to book what is left. */
	static Tasks.NewTask taskFor(Rule rule, dev.klinika.billing.BillingEvents.PackageExpiring expiring,
			java.time.ZoneId zone, Instant now) {
		String title = String.valueOf(rule.action().title())
			.replace("{package}", expiring.name())
			.replace("{date}",
					java.time.format.DateTimeFormatter.ofPattern("dd.MM.yyyy")
						.format(expiring.expiresAt().atZone(zone)))
			.replace("{left}", expiring.leftText(java.util.Locale.forLanguageTag("ru")));
		return ruleTask(rule, expiring.branch(), title, TaskKind.CALL_BACK, Role.ADMIN, TaskPriority.NORMAL,
				now.plus(delayOf(rule.action())))
			.about(expiring.patient())
			.causedBy("package", expiring.pkg());
	}

	/**
	 * The task a pathway's rule makes: for the pathway's consultant when they have a
	 * login, otherwise for the rule's role, about the patient, caused by the pathway.
	 */
	static Tasks.NewTask taskFor(Rule rule, dev.klinika.care.CareEvents.PathwayEvent event, String title, TaskKind kind,
			Instant now) {
		Tasks.NewTask task = ruleTask(rule, event.branch(), title, kind, Role.CONSULTANT, TaskPriority.NORMAL,
				now.plus(delayOf(rule.action())))
			.about(event.patient())
			.causedBy("pathway", event.pathway());
		return event.consultantUser() == null ? task : task.ownedBy(event.consultantUser());
	}

	/** The task an overdue task's rule makes. */
	static Tasks.NewTask escalationOf(Rule rule, Task task, Instant now) {
		String title = String.valueOf(rule.action().title()).replace("{task}", task.title());
		return ruleTask(rule, task.branchId(), title, TaskKind.FOLLOW_UP, Role.SENIOR_ADMIN, TaskPriority.HIGH, now)
			.about(task.patientId())
			.causedBy("task", task.id());
	}

	/**
	 * A rule's task: its action's kind, owner and priority, or the trigger's defaults.
	 */
	private static Tasks.NewTask ruleTask(Rule rule, long branchId, String title, TaskKind kind, Role owner,
			TaskPriority priority, Instant due) {
		Action action = rule.action();
		return Tasks.NewTask
			.forRole(action.ownerRole() == null ? owner : action.ownerRole(), branchId, title,
					action.kind() == null ? kind : action.kind(), due)
			.withPriority(action.priority() == null ? priority : action.priority())
			.byRule(rule.id());
	}

}
