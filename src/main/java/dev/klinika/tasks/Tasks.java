package dev.klinika.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.BranchScope;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.KlinikaUser;
import dev.klinika.security.Role;
import dev.klinika.shared.ConcurrentChange;

/**
 * Creates tasks and moves them to done or cancelled. Every change checks the version the
 * person saw: of two admins completing one task at once, one succeeds and the other is
 * told who did it first; nothing is lost.
 */
@Service
@Transactional
public class Tasks {

	/** A little slack for a due time typed "now": it is not in the past yet. */
	static final Duration SLACK = Duration.ofMinutes(1);

	private final org.springframework.context.MessageSource messages;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final Clock clock;

	private final dev.klinika.security.Colleagues colleagues;

	Tasks(JdbcClient jdbc, AuditLog audit, CurrentUser currentUser, Clock clock,
			dev.klinika.security.Colleagues colleagues, org.springframework.context.MessageSource messages) {
		this.messages = messages;
		this.colleagues = colleagues;
		this.jdbc = jdbc;
		this.audit = audit;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	/** What a new task needs: a person or a role owns it. */
	public record NewTask(String title, TaskKind kind, @Nullable Long patientId, long branchId,
			@Nullable Long ownerUserId, @Nullable Role ownerRole, Instant dueAt, TaskPriority priority,
			@Nullable String note, @Nullable String causeType, @Nullable Long causeId, @Nullable Long serviceId,
			@Nullable Long ruleId) {

		/**
		 * A task for a role of a branch, as other modules and the rules make them: normal
		 * priority, about no patient and caused by nothing until the withers say so.
		 */
		public static NewTask forRole(Role role, long branchId, String title, TaskKind kind, Instant dueAt) {
			return new NewTask(title, kind, null, branchId, null, role, dueAt, TaskPriority.NORMAL, null, null, null,
					null, null);
		}

		public NewTask about(@Nullable Long patient) {
			return new NewTask(this.title, this.kind, patient, this.branchId, this.ownerUserId, this.ownerRole,
					this.dueAt, this.priority, this.note, this.causeType, this.causeId, this.serviceId, this.ruleId);
		}

		/**
		 * What made the task: another module's record, by its kind ("call", "lead") and
		 * id.
		 */
		public NewTask causedBy(String type, long id) {
			return new NewTask(this.title, this.kind, this.patientId, this.branchId, this.ownerUserId, this.ownerRole,
					this.dueAt, this.priority, this.note, type, id, this.serviceId, this.ruleId);
		}

		public NewTask withPriority(TaskPriority level) {
			return new NewTask(this.title, this.kind, this.patientId, this.branchId, this.ownerUserId, this.ownerRole,
					this.dueAt, level, this.note, this.causeType, this.causeId, this.serviceId, this.ruleId);
		}

		public NewTask withNote(@Nullable String text) {
			return new NewTask(this.title, this.kind, this.patientId, this.branchId, this.ownerUserId, this.ownerRole,
					this.dueAt, this.priority, text, this.causeType, this.causeId, this.serviceId, this.ruleId);
		}

		/** The service a recall or a booking task is for. */
		public NewTask forService(@Nullable Long service) {
			return new NewTask(this.title, this.kind, this.patientId, this.branchId, this.ownerUserId, this.ownerRole,
					this.dueAt, this.priority, this.note, this.causeType, this.causeId, service, this.ruleId);
		}

		/** A person's task instead of a role's. */
		public NewTask ownedBy(long user) {
			return new NewTask(this.title, this.kind, this.patientId, this.branchId, user, null, this.dueAt,
					this.priority, this.note, this.causeType, this.causeId, this.serviceId, this.ruleId);
		}

		/** The automation rule that made the task. */
		public NewTask byRule(long rule) {
			return new NewTask(this.title, this.kind, this.patientId, this.branchId, this.ownerUserId, this.ownerRole,
					this.dueAt, this.priority, this.note, this.causeType, this.causeId, this.serviceId, rule);
		}

		NewTask due(Instant at) {
			return new NewTask(this.title, this.kind, this.patientId, this.branchId, this.ownerUserId, this.ownerRole,
					at, this.priority, this.note, this.causeType, this.causeId, this.serviceId, this.ruleId);
		}

	}

	/**
	 * Creates a task typed by a person: a title, an owner who can work (a dismissed or
	 * disabled login is refused), a due time not in the past.
	 */
	public long create(NewTask task) {
		if (task.dueAt().isBefore(this.clock.instant().minus(SLACK))) {
			throw new TaskRefused("DUE_PAST");
		}
		requireWorksIn(task.ownerUserId(), task.branchId());
		return insert(task);
	}

	/**
	 * Creates a task for a rule or another module: a due time already past means "now".
	 */
	public long createFor(NewTask task) {
		Instant now = this.clock.instant();
		return insert(task.dueAt().isBefore(now) ? task.due(now) : task);
	}

	private long insert(NewTask task) {
		String title = task.title().trim();
		if (title.isEmpty() || title.length() > 300 || (task.note() != null && task.note().length() > 2000)) {
			throw new TaskRefused("TITLE");
		}
		if (task.ownerUserId() == null && task.ownerRole() == null) {
			throw new TaskRefused("NO_OWNER");
		}
		if (task.ownerUserId() != null && !activeUser(task.ownerUserId())) {
			throw new TaskRefused("OWNER_INACTIVE");
		}
		long id = this.jdbc.sql("""
				insert into task (title, kind, patient_id, branch_id, owner_user_id, owner_role, due_at, priority, note,
				                  cause_type, cause_id, service_id, rule_id, created_by)
				values (:title, :kind, :patient, :branch, :user, :role, :due, :priority, :note, :causeType, :causeId,
				        :service, :rule, :by)
				returning id
				""")
			.param("title", title)
			.param("kind", task.kind().name())
			.param("patient", task.patientId())
			.param("branch", task.branchId())
			.param("user", task.ownerUserId())
			.param("role", task.ownerRole() == null ? null : task.ownerRole().name())
			.param("due", utc(task.dueAt()))
			.param("priority", task.priority().name())
			.param("note", task.note() == null || task.note().isBlank() ? null : task.note().trim())
			.param("causeType", task.causeType())
			.param("causeId", task.causeId())
			.param("service", task.serviceId())
			.param("rule", task.ruleId())
			.param("by", this.currentUser.actor())
			.query(Long.class)
			.single();
		this.audit.record("TASK_CREATED", "task", id, task.kind() + ": " + title);
		return id;
	}

	/**
	 * A call-out list: one call task per patient, given in turn to the chosen people (or
	 * to a role of each patient's branch), in one statement however long the list.
	 * Patients who already have an open task are skipped. Answers how many were made.
	 */
	public int callOut(List<Long> patientIds, List<Long> owners, @Nullable Role role, String title, Instant due) {
		if (title.isBlank() || title.length() > 300) {
			throw new TaskRefused("TITLE");
		}
		if (owners.isEmpty() && role == null) {
			throw new TaskRefused("NO_OWNER");
		}
		if (patientIds.isEmpty()) {
			return 0;
		}
		for (long owner : owners) {
			if (!activeUser(owner)) {
				throw new TaskRefused("OWNER_INACTIVE");
			}
		}
		int made = this.jdbc
			.sql("""
					insert into task (title, kind, patient_id, branch_id, owner_user_id, owner_role, due_at, created_by,
					                  cause_type)
					select :title, 'CALL_BACK', p.id, p.home_branch_id,
					       case when cardinality(cast(:owners as bigint[])) > 0
					            then (cast(:owners as bigint[]))[1 + (row_number() over (order by p.id) - 1)
					                 % cardinality(cast(:owners as bigint[]))] end,
					       case when cardinality(cast(:owners as bigint[])) = 0 then :role end,
					       :due, :by, 'call_out'
					  from patients_card_v p
					 where p.id = any(cast(:patients as bigint[])) and p.merged_into is null and p.erased_at is null
					   and not exists (select 1 from task t where t.patient_id = p.id and t.status in ('OPEN', 'IN_PROGRESS'))
					""")
			.param("title", title.trim())
			.param("owners", owners.toArray(new Long[0]))
			.param("role", role == null ? null : role.name())
			.param("due", utc(due))
			.param("by", this.currentUser.actor())
			.param("patients", patientIds.toArray(new Long[0]))
			.update();
		this.audit.record("CALL_OUT_LIST", "task", null, made + " tasks: " + title.trim());
		return made;
	}

	public Task start(long id, int version) {
		return move(id, version, TaskStatus.IN_PROGRESS, null, "TASK_STARTED");
	}

	/**
	 * Done, with what came of it ("booked for the 12th", "no answer, will call again").
	 */
	public Task complete(long id, int version, String outcome) {
		if (outcome.isBlank() || outcome.length() > 500) {
			throw new TaskRefused("OUTCOME");
		}
		return move(id, version, TaskStatus.DONE, outcome.trim(), "TASK_DONE");
	}

	public Task cancel(long id, int version, String reason) {
		if (reason.isBlank() || reason.length() > 500) {
			throw new TaskRefused("REASON");
		}
		return move(id, version, TaskStatus.CANCELLED, reason.trim(), "TASK_CANCELLED");
	}

	/**
	 * Closes the open tasks a cause no longer needs, e.g. a recall once the patient
	 * booked.
	 */
	public int closeFor(long patientId, TaskKind kind, long serviceId, Outcome outcome, Object... arguments) {
		return closeFor(patientId, kind, serviceId, outcome.text(this.messages, arguments));
	}

	private int closeFor(long patientId, TaskKind kind, long serviceId, String outcome) {
		int closed = this.jdbc
			.sql("""
					update task set status = 'DONE', outcome = :outcome, closed_by = 'system', closed_at = now(),
					       version = version + 1
					 where patient_id = :patient and kind = :kind and service_id = :service and status in ('OPEN', 'IN_PROGRESS')
					""")
			.param("outcome", outcome)
			.param("patient", patientId)
			.param("kind", kind.name())
			.param("service", serviceId)
			.update();
		if (closed > 0) {
			this.audit.record("TASK_DONE", "patient", patientId, closed + " " + kind + " tasks: " + outcome);
		}
		return closed;
	}

	/**
	 * Closes as done the open tasks another module's records caused (a call's callback
	 * when someone called back).
	 */
	/**
	 * Closes the open tasks of these causes with an outcome from the messages
	 * ({@code task.outcome.*}), in the clinic's language: what the system did is written
	 * in words the staff read on the task.
	 */
	public int closeByCause(String causeType, List<Long> causeIds, Outcome outcome, Object... arguments) {
		return closeByCause(causeType, causeIds, outcome.text(this.messages, arguments));
	}

	/** Why the system closed a task. */
	public enum Outcome {

		CALLED_BACK("task.outcome.calledBack"), LEAD_STAGE("task.outcome.leadStage"),
		LEAD_LOST("task.outcome.leadLost"), BOOKED("task.outcome.booked"), HANDLED("task.outcome.handled");

		private final String key;

		Outcome(String key) {
			this.key = key;
		}

		private String text(org.springframework.context.MessageSource messages, Object... arguments) {
			return messages.getMessage(this.key, arguments, java.util.Locale.forLanguageTag("ru"));
		}

	}

	private int closeByCause(String causeType, List<Long> causeIds, String outcome) {
		if (causeIds.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				update task set status = 'DONE', outcome = :outcome, closed_by = 'system', closed_at = now(),
				       version = version + 1
				 where cause_type = :type and cause_id in (:ids) and status in ('OPEN', 'IN_PROGRESS')
				""").param("outcome", outcome).param("type", causeType).param("ids", causeIds).update();
	}

	public Task postpone(long id, int version, Instant due) {
		if (due.isBefore(this.clock.instant().minus(SLACK))) {
			throw new TaskRefused("DUE_PAST");
		}
		return update(id, version, "due_at = :due", Map.of("due", utc(due)), "TASK_POSTPONED", due.toString());
	}

	/** Gives the task to a person, or to a role in its branch. */
	public Task reassign(long id, int version, @Nullable Long userId, @Nullable Role role) {
		if (userId == null && role == null) {
			throw new TaskRefused("NO_OWNER");
		}
		if (userId != null && !activeUser(userId)) {
			throw new TaskRefused("OWNER_INACTIVE");
		}
		requireWorksIn(userId, find(id).orElseThrow(() -> new TaskRefused("UNKNOWN")).branchId());
		Map<String, Object> values = new java.util.HashMap<>();
		values.put("user", userId);
		values.put("role", role == null ? null : role.name());
		return update(id, version, "owner_user_id = cast(:user as bigint), owner_role = cast(:role as varchar)", values,
				"TASK_REASSIGNED", userId != null ? "user " + userId : "role " + role);
	}

	public void comment(long id, String text) {
		if (text.isBlank() || text.length() > 2000) {
			throw new TaskRefused("COMMENT");
		}
		find(id).orElseThrow(() -> new TaskRefused("UNKNOWN"));
		this.jdbc.sql("insert into task_comment (task_id, author, text) values (:id, :author, :text)")
			.param("id", id)
			.param("author", this.currentUser.actor())
			.param("text", text.trim())
			.update();
	}

	/** A comment under a task. */
	public record Comment(String author, String text, Instant at) {
	}

	@Transactional(readOnly = true)
	public List<Comment> comments(long id) {
		return this.jdbc
			.sql("select author, text, created_at from task_comment where task_id = :id order by created_at")
			.param("id", id)
			.query((rs, n) -> new Comment(rs.getString(1), rs.getString(2),
					rs.getObject(3, OffsetDateTime.class).toInstant()))
			.list();
	}

	@Transactional(readOnly = true)
	public Optional<Task> find(long id) {
		return TaskQueries.select(this.jdbc, "t.id = :id", Map.of("id", id), 1).stream().findFirst();
	}

	/**
	 * Whether a login may see and work on the task: its owner, its role there, or a
	 * supervisor there.
	 */
	/**
	 * Whether the login may read the task: its own, or any task of its branches (the
	 * branch's task list shows them all).
	 */
	public static boolean readableBy(Task task, KlinikaUser user) {
		return task.ownerUserId() != null && task.ownerUserId() == user.id() || user.scope().includes(task.branchId());
	}

	public static boolean visibleTo(Task task, KlinikaUser user) {
		BranchScope scope = user.scope();
		if (task.ownerUserId() != null && task.ownerUserId() == user.id()) {
			return true;
		}
		if (!scope.includes(task.branchId())) {
			return false;
		}
		return (task.ownerRole() != null && user.has(task.ownerRole())) || user.has(Role.SENIOR_ADMIN)
				|| user.has(Role.MANAGER) || user.has(Role.OWNER) || user.getUsername().equals(task.createdBy());
	}

	private Task move(long id, int version, TaskStatus next, @Nullable String outcome, String action) {
		Task current = find(id).orElseThrow(() -> new TaskRefused("UNKNOWN"));
		if (current.status().closed()) {
			throw new TaskAlreadyClosed(current);
		}
		int updated = this.jdbc.sql("""
				update task set status = :status, outcome = coalesce(:outcome, outcome), version = version + 1,
				       closed_by = case when :closing then :by end, closed_at = case when :closing then now() end
				 where id = :id and version = :version and status in ('OPEN', 'IN_PROGRESS')
				""")
			.param("status", next.name())
			.param("outcome", outcome)
			.param("closing", next.closed())
			.param("by", this.currentUser.actor())
			.param("id", id)
			.param("version", version)
			.update();
		return afterUpdate(id, updated, action, outcome);
	}

	private Task update(long id, int version, String set, Map<String, Object> values, String action, String details) {
		Task current = find(id).orElseThrow(() -> new TaskRefused("UNKNOWN"));
		if (current.status().closed()) {
			throw new TaskAlreadyClosed(current);
		}
		var statement = this.jdbc.sql("update task set " + set
				+ ", version = version + 1 where id = :id and version = :version and status in ('OPEN', 'IN_PROGRESS')")
			.param("id", id)
			.param("version", version);
		for (Map.Entry<String, Object> value : values.entrySet()) {
			statement = statement.param(value.getKey(), value.getValue());
		}
		return afterUpdate(id, statement.update(), action, details);
	}

	private Task afterUpdate(long id, int updated, String action, @Nullable String details) {
		Task now = find(id).orElseThrow();
		if (updated == 0) {
			if (now.status().closed()) {
				throw new TaskAlreadyClosed(now);
			}
			throw new ConcurrentChange("task " + id + " was changed by someone else");
		}
		this.audit.record(action, "task", id, details);
		return now;
	}

	/**
	 * A person given a task works in its branch: a task names its patient, and another
	 * branch's staff may not see them.
	 */
	private void requireWorksIn(@Nullable Long userId, long branchId) {
		if (userId != null && activeUser(userId) && !this.colleagues.worksIn(userId, branchId)) {
			throw new TaskRefused("OWNER_ELSEWHERE");
		}
	}

	private boolean activeUser(long userId) {
		return this.colleagues.isActive(userId);
	}

	static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/** Someone closed the task first: who, and with what. */
	public static class TaskAlreadyClosed extends TaskRefused {

		@java.io.Serial
		private static final long serialVersionUID = 1L;

		private final transient Task task;

		TaskAlreadyClosed(Task task) {
			super("ALREADY_CLOSED");
			this.task = task;
		}

		public Task task() {
			return this.task;
		}

	}

}
