package dev.klinika.tasks;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.tasks.Automation.ActionType;
import dev.klinika.tasks.Automation.Rule;
import dev.klinika.tasks.Automation.Trigger;

/**
 * Escalates overdue tasks: each task overdue for longer than a TASK_OVERDUE rule's delay
 * gets one task for the rule's role in its branch (the senior admin by default). The
 * rule's own tasks are never escalated by it, so it cannot feed itself.
 */
@Service
class OverdueEscalation {

	private final Automation rules;

	private final Tasks tasks;

	private final JdbcClient jdbc;

	private final Clock clock;

	OverdueEscalation(Automation rules, Tasks tasks, JdbcClient jdbc, Clock clock) {
		this.rules = rules;
		this.tasks = tasks;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Transactional
	int escalateOverdue() {
		int made = 0;
		for (Rule rule : this.rules.rules(Trigger.TASK_OVERDUE)) {
			if (!rule.enabled() || rule.action().type() != ActionType.TASK) {
				continue;
			}
			int minutes = rule.action().delayMinutes() == null ? 60 : rule.action().delayMinutes();
			List<Task> overdue = TaskQueries.select(this.jdbc,
					"""
							t.status in ('OPEN', 'IN_PROGRESS') and t.due_at < :limit and (t.rule_id is null or t.rule_id <> :rule)
							   and not exists (select 1 from rule_firing f where f.rule_id = :rule and f.cause_key = 'task:' || t.id)
							 order by t.due_at
							""",
					Map.of("limit", Tasks.utc(this.clock.instant().minus(Duration.ofMinutes(minutes))), "rule",
							rule.id()),
					500);
			for (Task task : overdue) {
				Long firing = this.rules.claim(rule, "task:" + task.id());
				if (firing == null) {
					continue;
				}
				long created = this.tasks.createFor(RuleEngine.escalationOf(rule, task, this.clock.instant()));
				this.rules.record(firing, "task " + created, created);
				made++;
			}
		}
		return made;
	}

	/** The escalation job: every minute, on one node. */
	@Bean
	static RecurringTask<Void> overdueEscalationJob(OverdueEscalation escalation) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks
			.recurring("overdue-escalation", FixedDelay.ofMinutes(1))
			.execute((instance, context) -> escalation.escalateOverdue());
	}

}
