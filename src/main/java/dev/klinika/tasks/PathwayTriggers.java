package dev.klinika.tasks;

import java.time.Clock;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.klinika.care.CareEvents.PathwayCompleted;
import dev.klinika.care.CareEvents.PathwayEvent;
import dev.klinika.care.CareEvents.PathwayPrescribed;
import dev.klinika.care.CareEvents.PathwayReexamDue;
import dev.klinika.care.CareEvents.PathwaySessionMissed;
import dev.klinika.care.CareEvents.PathwayStalled;
import dev.klinika.tasks.Automation.ActionType;
import dev.klinika.tasks.Automation.Rule;
import dev.klinika.tasks.Automation.Trigger;

/**
 * The rules following care pathways: a prescription hands the patient on (a task to book
 * the course), a stall asks for a call (once per stall), a missed session for a new
 * booking, a finished course for the re-examination. A task goes to the pathway's
 * consultant when the consultant has a login, otherwise to the rule's role. A completed
 * pathway is the course-finished event of the COURSE_COMPLETED rules.
 */
@Component
class PathwayTriggers {

	private final Automation rules;

	private final Tasks tasks;

	private final RuleTriggers visits;

	private final Clock clock;

	PathwayTriggers(Automation rules, Tasks tasks, RuleTriggers visits, Clock clock) {
		this.rules = rules;
		this.tasks = tasks;
		this.visits = visits;
		this.clock = clock;
	}

	@ApplicationModuleListener
	void on(PathwayPrescribed prescribed) {
		fire(Trigger.PATHWAY_PRESCRIBED, prescribed, "", title -> title.replace("{items}", prescribed.items()),
				TaskKind.BOOK, prescribed.firstService());
	}

	@ApplicationModuleListener
	void on(PathwayStalled stalled) {
		fire(Trigger.PATHWAY_STALLED, stalled, ":stall:" + stalled.stall(),
				title -> title.replace("{next}", stalled.next()), TaskKind.CALL_BACK, stalled.nextService());
	}

	@ApplicationModuleListener
	void on(PathwaySessionMissed missed) {
		fire(Trigger.PATHWAY_SESSION_MISSED, missed, ":missed:" + missed.appointment(),
				title -> title.replace("{service}", missed.service()), TaskKind.BOOK, missed.serviceId());
	}

	@ApplicationModuleListener
	void on(PathwayReexamDue due) {
		fire(Trigger.PATHWAY_REEXAM_DUE, due, ":reexam", title -> title.replace("{service}", due.name()), TaskKind.BOOK,
				due.service());
	}

	/**
	 * The course is finished by the pathway: the COURSE_COMPLETED rules, once per visit.
	 */
	@ApplicationModuleListener
	void on(PathwayCompleted completed) {
		this.visits.visit(completed.appointment())
			.ifPresent(visit -> this.visits.fire(Trigger.COURSE_COMPLETED, visit));
	}

	private void fire(Trigger trigger, PathwayEvent event, String cause, UnaryOperator<String> title, TaskKind kind,
			@Nullable Long service) {
		for (Rule rule : this.rules.rules(trigger)) {
			if (!rule.enabled() || !RuleEngine.within(rule.conditions().branchIds(), event.branch())) {
				continue;
			}
			Long firing = this.rules.claim(rule, "pathway:" + event.pathway() + cause);
			if (firing == null) {
				continue;
			}
			if (rule.action().type() != ActionType.TASK) {
				this.rules.record(firing, "skipped: " + rule.action().type(), null);
				continue;
			}
			long created = this.tasks.createFor(RuleEngine
				.taskFor(rule, event, title.apply(String.valueOf(rule.action().title())), kind, this.clock.instant())
				.forService(service));
			this.rules.record(firing, "task " + created, created);
		}
	}

}
