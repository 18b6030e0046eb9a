package dev.klinika.tasks;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.KlinikaUser;
import dev.klinika.security.Role;
import dev.klinika.shared.ListPage;

/**
 * The task lists of a login: its own (its person, or its roles in its branches), its
 * branches', the overdue ones, and the counters for the top bar.
 */
@Component
@Transactional(readOnly = true)
public class TaskQueries {

	/** Which list. */
	public enum View {

		MINE, BRANCH, OVERDUE, SENT, CLOSED

	}

	private static final String SELECT = """
			select t.*, p.full_name as patient_name,
			       b.name as branch_name, u.full_name as owner_name
			  from task t left join patients_card_v p on p.id = t.patient_id join organization_branch_v b on b.id = t.branch_id
			  left join security_user_v u on u.id = t.owner_user_id
			""";

	/**
	 * Tasks of the login's own: owned by it, or by one of its roles in one of its
	 * branches.
	 */
	private static final String MINE = """
			(t.owner_user_id = :me or (t.owner_user_id is null and t.owner_role in (:roles)
			 and (:all or t.branch_id in (:branches))))
			""";

	private final JdbcClient jdbc;

	private final Clock clock;

	TaskQueries(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * A page of a list, the most urgent first (a stable order, so that pages neither
	 * repeat nor skip a task), with how many there are in all.
	 */
	public ListPage<Task> page(View view, KlinikaUser user, int number, int size) {
		String where = where(view, user);
		String order = view == View.CLOSED ? " order by t.closed_at desc, t.id desc" : view == View.SENT
				? " order by t.created_at desc, t.id desc"
				: " order by t.due_at, case t.priority when 'URGENT' then 0 when 'HIGH' then 1 when 'NORMAL' then 2 else 3 end, t.id";
		Map<String, Object> params = params(user);
		List<Task> rows = select(this.jdbc, where + order + " offset " + ListPage.offset(number, size), params, size);
		return ListPage.of(rows, number, size,
				() -> this.jdbc.sql(ListPage.cappedCount("select 1 from task t where " + where))
					.params(params)
					.query(Long.class)
					.single());
	}

	private static String where(View view, KlinikaUser user) {
		return switch (view) {
			case MINE -> MINE + " and t.status in ('OPEN', 'IN_PROGRESS')";
			case BRANCH -> "(:all or t.branch_id in (:branches)) and t.status in ('OPEN', 'IN_PROGRESS')";
			// A senior admin and the managers see everyone's overdue tasks; others their
			// own.
			case OVERDUE -> (supervisor(user) ? "(:all or t.branch_id in (:branches))" : MINE)
					+ " and t.status in ('OPEN', 'IN_PROGRESS') and t.due_at < :now";
			// Hand-offs and other tasks the login gave to someone else, to see whether
			// they were done.
			case SENT -> "t.created_by = :username and (t.owner_user_id is null or t.owner_user_id <> :me)"
					+ " and t.created_at > :now - interval '30 days'";
			case CLOSED -> "(" + MINE + " or t.closed_by = :username) and t.status in ('DONE', 'CANCELLED')"
					+ " and t.closed_at > :now - interval '7 days'";
		};
	}

	/**
	 * The board of the login's branches: open, in progress, and done or cancelled in the
	 * last week, each column by due time.
	 */
	public Map<TaskStatus, List<Task>> board(KlinikaUser user, int perColumn) {
		Map<TaskStatus, List<Task>> board = new java.util.EnumMap<>(TaskStatus.class);
		for (TaskStatus status : TaskStatus.values()) {
			String recent = status.closed() ? " and t.closed_at > :now - interval '7 days'" : "";
			Map<String, Object> params = params(user);
			params.put("status", status.name());
			board.put(status,
					select(this.jdbc,
							"(:all or t.branch_id in (:branches)) and t.status = :status" + recent
									+ (status.closed() ? " order by t.closed_at desc" : " order by t.due_at"),
							params, perColumn));
		}
		return board;
	}

	/**
	 * The top bar's numbers: the login's open tasks due by tonight (a recall due in three
	 * months is on the list, not on the counter) and how many of them are overdue.
	 */
	public record Counters(int open, int overdue) {
	}

	public Counters counters(KlinikaUser user) {
		Map<String, Object> params = params(user);
		params.put("tonight",
				OffsetDateTime.ofInstant(
						java.time.LocalDate.now(this.clock).plusDays(1).atStartOfDay(this.clock.getZone()).toInstant(),
						java.time.ZoneOffset.UTC));
		var row = this.jdbc
			.sql("select count(*) as open, count(*) filter (where t.due_at < :now) as overdue from task t where " + MINE
					+ " and t.status in ('OPEN', 'IN_PROGRESS') and t.due_at < :tonight")
			.params(params)
			.query()
			.singleRow();
		return new Counters(((Number) row.get("open")).intValue(), ((Number) row.get("overdue")).intValue());
	}

	/**
	 * The login's own open tasks about a patient that are due before a time (the end of
	 * its day), the earliest first.
	 */
	public List<Task> mineDueBefore(KlinikaUser user, java.time.Instant until, int limit) {
		Map<String, Object> params = params(user);
		params.put("until", OffsetDateTime.ofInstant(until, java.time.ZoneOffset.UTC));
		return select(this.jdbc, MINE + " and t.status in ('OPEN', 'IN_PROGRESS') and t.patient_id is not null"
				+ " and t.due_at < :until order by t.due_at, t.id", params, limit);
	}

	/** Open tasks of a patient, for the card. */
	public List<Task> openOf(long patientId) {
		return select(this.jdbc, "t.patient_id = :patient and t.status in ('OPEN', 'IN_PROGRESS') order by t.due_at",
				Map.of("patient", patientId), 20);
	}

	static boolean supervisor(KlinikaUser user) {
		return user.has(Role.SENIOR_ADMIN) || user.has(Role.MANAGER) || user.has(Role.OWNER);
	}

	private Map<String, Object> params(KlinikaUser user) {
		Map<String, Object> params = new java.util.HashMap<>();
		params.put("me", user.id());
		params.put("username", user.getUsername());
		params.put("roles", user.roles().stream().map(Role::name).toList());
		params.put("all", user.scope().all());
		params.put("branches", user.scope().idsForSql());
		params.put("now", OffsetDateTime.now(this.clock));
		return params;
	}

	static List<Task> select(JdbcClient jdbc, String where, Map<String, ?> params, int limit) {
		return jdbc.sql(SELECT + " where " + where + " limit " + limit)
			.params(params)
			.query((rs, n) -> new Task(rs.getLong("id"), rs.getString("title"), TaskKind.valueOf(rs.getString("kind")),
					(Long) rs.getObject("patient_id"), rs.getString("patient_name"), rs.getLong("branch_id"),
					rs.getString("branch_name"), (Long) rs.getObject("owner_user_id"), rs.getString("owner_name"),
					rs.getString("owner_role") == null ? null : Role.valueOf(rs.getString("owner_role")),
					rs.getObject("due_at", OffsetDateTime.class).toInstant(),
					TaskPriority.valueOf(rs.getString("priority")), TaskStatus.valueOf(rs.getString("status")),
					rs.getString("outcome"), rs.getString("note"), rs.getString("cause_type"),
					(Long) rs.getObject("cause_id"), (Long) rs.getObject("service_id"), (Long) rs.getObject("rule_id"),
					rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
					rs.getString("closed_by"),
					rs.getObject("closed_at") == null ? null
							: rs.getObject("closed_at", OffsetDateTime.class).toInstant(),
					rs.getInt("version")))
			.list();
	}

}
