package dev.klinika.tasks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.catalog.MedicalService;
import dev.klinika.scheduling.Appointment;
import dev.klinika.security.Role;

/**
 * The automation rules as data: WHEN a trigger (a no-show, a completed service that
 * repeats, a first visit, a finished course, a lead not booked, an overdue task) AND its
 * conditions THEN its action (a task for a role of the branch, a message for the
 * messaging module to send, a tag on the card), and the log of their firings.
 * {@link RuleTriggers} puts them to work; {@link RuleEngine} is their logic.
 */
@Service
public class Automation {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	Automation(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** When a rule fires. */
	public enum Trigger {

		APPOINTMENT_NO_SHOW, APPOINTMENT_CANCELLED, APPOINTMENT_COMPLETED, REPEATING_SERVICE_COMPLETED,
		FIRST_VISIT_COMPLETED, COURSE_COMPLETED, LEAD_NOT_BOOKED, TASK_OVERDUE, PACKAGE_EXPIRING, PATHWAY_PRESCRIBED,
		PATHWAY_STALLED, PATHWAY_SESSION_MISSED, PATHWAY_REEXAM_DUE

	}

	/** Which causes a rule takes: empty lists and nulls take all. */
	public record Conditions(@Nullable List<Long> categoryIds, @Nullable List<Long> branchIds, @Nullable String tag,
			@Nullable Integer minAge, @Nullable Integer maxAge, @Nullable Boolean noFutureBookingOfService,
			@Nullable Boolean noFutureBooking) {
	}

	/** The kinds of thing a rule does. */
	public enum ActionType {

		TASK, MESSAGE, TAG

	}

	/**
	 * What a rule does: a task for a role, a message for the messaging module, or a tag
	 * on the card; the fields of the other kinds stay null.
	 */
	public record Action(ActionType type, @Nullable TaskKind kind, @Nullable String title, @Nullable Role ownerRole,
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

	/**
	 * Claims a rule's firing for a cause, or answers {@code null} when it fired for that
	 * cause before: the unique (rule, cause) is what makes every rule fire once.
	 */
	@Nullable Long claim(Rule rule, String cause) {
		return this.jdbc.sql("""
				insert into rule_firing (rule_id, cause_key, result) values (:rule, :cause, 'firing')
				on conflict (rule_id, cause_key) do nothing returning id
				""").param("rule", rule.id()).param("cause", cause).query(Long.class).optional().orElse(null);
	}

	/** What a claimed firing did, for the rule's log. */
	void record(long firing, String result, @Nullable Long task) {
		this.jdbc.sql("update rule_firing set result = :result, task_id = :task where id = :id")
			.param("result", result)
			.param("task", task)
			.param("id", firing)
			.update();
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
		if (action.type() == ActionType.TASK && (action.title() == null || action.title().isBlank()
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
