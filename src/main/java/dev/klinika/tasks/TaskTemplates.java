package dev.klinika.tasks;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.CurrentUser;

import dev.klinika.security.Role;

/**
 * Recurring tasks ("every Monday at 10:00 call the week's no-shows back", "on the 1st of
 * each month check the recall list"): templates whose next run is due become tasks. A
 * db-scheduler job runs them every minute on exactly one of the app nodes, and rows are
 * taken with {@code FOR UPDATE SKIP LOCKED}, so two nodes never make one task twice.
 */
@Service
class TaskTemplates {

	private final JdbcClient jdbc;

	private final Tasks tasks;

	private final CurrentUser currentUser;

	private final Clock clock;

	TaskTemplates(JdbcClient jdbc, Tasks tasks, CurrentUser currentUser, Clock clock) {
		this.jdbc = jdbc;
		this.tasks = tasks;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	/** How often a template repeats. */
	public enum Recurrence {

		DAILY, WEEKLY, MONTHLY

	}

	/** A template: the task it makes, when, and for whom. */
	public record Template(long id, String title, TaskKind kind, long branchId, Role ownerRole, TaskPriority priority,
			Recurrence recurrence, @Nullable Integer day, LocalTime at, Instant nextRunAt, boolean enabled) {
	}

	/** The job: every minute, on one node. */
	@Bean
	static RecurringTask<Void> taskTemplatesJob(TaskTemplates templates) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks.recurring("task-templates", FixedDelay.ofMinutes(1))
			.execute((instance, context) -> templates.runDue());
	}

	@Transactional
	public long create(String title, TaskKind kind, long branchId, Role ownerRole, TaskPriority priority,
			Recurrence recurrence, @Nullable Integer day, LocalTime at) {
		if (title.isBlank() || title.length() > 300) {
			throw new TaskRefused("TITLE");
		}
		if ((recurrence == Recurrence.WEEKLY && (day == null || day < 1 || day > 7))
				|| (recurrence == Recurrence.MONTHLY && (day == null || day < 1 || day > 31))) {
			throw new TaskRefused("RECURRENCE");
		}
		ZoneId zone = zone(branchId);
		Instant first = next(recurrence, recurrence == Recurrence.DAILY ? null : day, at, zone,
				this.clock.instant().minusSeconds(1));
		return this.jdbc.sql("""
				insert into task_template (title, kind, branch_id, owner_role, priority, recurrence, day, at_time,
				                           next_run_at, created_by)
				values (:title, :kind, :branch, :role, :priority, :recurrence, :day, :at, :next, :by) returning id
				""")
			.param("title", title.trim())
			.param("kind", kind.name())
			.param("branch", branchId)
			.param("role", ownerRole.name())
			.param("priority", priority.name())
			.param("recurrence", recurrence.name())
			.param("day", recurrence == Recurrence.DAILY ? null : day)
			.param("at", at)
			.param("next", Tasks.utc(first))
			.param("by", this.currentUser.actor())
			.query(Long.class)
			.single();
	}

	@Transactional
	public void enable(long id, boolean enabled) {
		this.jdbc.sql("update task_template set enabled = :enabled where id = :id")
			.param("enabled", enabled)
			.param("id", id)
			.update();
	}

	@Transactional(readOnly = true)
	public List<Template> list() {
		return this.jdbc.sql("select * from task_template order by branch_id, id")
			.query((rs, n) -> new Template(rs.getLong("id"), rs.getString("title"),
					TaskKind.valueOf(rs.getString("kind")), rs.getLong("branch_id"),
					Role.valueOf(rs.getString("owner_role")), TaskPriority.valueOf(rs.getString("priority")),
					Recurrence.valueOf(rs.getString("recurrence")), (Integer) rs.getObject("day"),
					rs.getObject("at_time", LocalTime.class),
					rs.getObject("next_run_at", OffsetDateTime.class).toInstant(), rs.getBoolean("enabled")))
			.list();
	}

	/** Makes the tasks of every template that is due, and plans each one's next run. */
	@Transactional
	public int runDue() {
		List<Template> due = this.jdbc.sql("""
				select * from task_template where enabled and next_run_at <= :now
				 order by next_run_at for update skip locked limit 100
				""")
			.param("now", Tasks.utc(this.clock.instant()))
			.query((rs, n) -> new Template(rs.getLong("id"), rs.getString("title"),
					TaskKind.valueOf(rs.getString("kind")), rs.getLong("branch_id"),
					Role.valueOf(rs.getString("owner_role")), TaskPriority.valueOf(rs.getString("priority")),
					Recurrence.valueOf(rs.getString("recurrence")), (Integer) rs.getObject("day"),
					rs.getObject("at_time", LocalTime.class),
					rs.getObject("next_run_at", OffsetDateTime.class).toInstant(), true))
			.list();
		for (Template template : due) {
			this.tasks.createFor(new Tasks.NewTask(template.title(), template.kind(), null, template.branchId(), null,
					template.ownerRole(), template.nextRunAt(), template.priority(), null, "template", template.id(),
					null, null));
			// A node that was down for days makes one task, not one per missed run.
			Instant next = next(template.recurrence(), template.day(), template.at(), zone(template.branchId()),
					this.clock.instant());
			this.jdbc.sql("update task_template set next_run_at = :next where id = :id")
				.param("next", Tasks.utc(next))
				.param("id", template.id())
				.update();
		}
		return due.size();
	}

	/** The first run strictly after {@code after}, in the branch's zone. */
	static Instant next(Recurrence recurrence, @Nullable Integer day, LocalTime at, ZoneId zone, Instant after) {
		LocalDate date = after.atZone(zone).toLocalDate();
		for (int i = 0; i < 400; i++) {
			LocalDate candidate = date.plusDays(i);
			boolean fits = switch (recurrence) {
				case DAILY -> true;
				case WEEKLY -> candidate.getDayOfWeek() == DayOfWeek.of(day);
				// Day 31 in a 30-day month is its last day.
				case MONTHLY -> candidate.getDayOfMonth() == Math.min(day, candidate.lengthOfMonth());
			};
			ZonedDateTime run = candidate.atTime(at).atZone(zone);
			if (fits && run.toInstant().isAfter(after)) {
				return run.toInstant();
			}
		}
		return date.with(TemporalAdjusters.firstDayOfNextYear()).atTime(at).atZone(zone).toInstant();
	}

	private ZoneId zone(long branchId) {
		return ZoneId.of(this.jdbc.sql("select time_zone from organization_branch_v where id = :id")
			.param("id", branchId)
			.query(String.class)
			.single());
	}

}
