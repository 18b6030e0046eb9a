package dev.klinika.care;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;

/**
 * The consultant's list: pathways by status, stalled first, each with the patient, how
 * far they got, the last step, the open task about it and the next contact date.
 */
@Component
class PathwayList {

	/** Rows on a page. */
	static final int PAGE = 50;

	/** The statuses a consultant works on, in the order the list shows them. */
	static final List<String> ORDER = List.of("STALLED", "PROPOSED", "ACCEPTED", "IN_PROGRESS", "COMPLETED",
			"ABANDONED", "DECLINED");

	private final JdbcClient jdbc;

	private final PathwayProgress progress;

	PathwayList(JdbcClient jdbc, PathwayProgress progress) {
		this.jdbc = jdbc;
		this.progress = progress;
	}

	/** Which pathways: a status or all open ones, one consultant or anyone's. */
	record Filter(@Nullable String status, @Nullable Long consultant, int page) {

		List<String> statuses() {
			return this.status == null ? PathwayProgress.OPEN : List.of(this.status);
		}

	}

	/** A row of the list. */
	record Row(long id, long patientId, String patient, @Nullable String phone, String status,
			@Nullable String consultant, int attended, int prescribed, @Nullable Instant lastAt,
			@Nullable String lastKind, @Nullable Long taskId, @Nullable String taskTitle, @Nullable Instant taskDue,
			int taskVersion, @Nullable LocalDate nextContactOn, String next) {

		/**
		 * The next contact: the open task's due time, else the card's next contact date.
		 */
		public boolean late(Instant now) {
			return this.taskDue != null && this.taskDue.isBefore(now);
		}

	}

	/**
	 * A status's place in the list, as SQL: the expression the queue's indexes are built
	 * on (migration {@code care_queue}), so that a page is read in their order.
	 */
	static final String RANK = "array_position('{" + String.join(",", ORDER) + "}'::text[], p.status)";

	/** Since when a pathway is in its status: the queue's second key. */
	static final String SINCE = "coalesce(p.status_changed_at, p.created_at)";

	@Transactional(readOnly = true)
	List<Row> rows(Filter filter, BranchScope scope) {
		// The page is chosen on the pathway's own columns and indexes (conditions only
		// where they apply, so that a prepared plan still uses them); the patient, the
		// task and the last step are read for its rows only.
		String where = "p.status in (:statuses) and " + scope.sql("p.branch_id")
				+ (filter.consultant() == null ? "" : " and p.consultant_id = :consultant");
		List<Row> rows = this.jdbc.sql("""
				with page as (
				  select p.id, %s as rank, %s as since from care_pathway p where %s
				   order by 2, 3, p.id limit :limit offset :offset)
				select p.id, p.patient_id, pc.short_name,
				       (select ph.number from patients_phone_v ph where ph.patient_id = p.patient_id
				         order by ph.main desc limit 1) as phone,
				       p.status, cs.surname || ' ' || cs.name as consultant,
				       (select count(*) from care_session s join scheduling_appointment_v a on a.id = s.appointment_id
				         where s.pathway_id = p.id and s.position is not null and a.status = 'COMPLETED') as attended,
				       (select coalesce(sum(i.sessions), 0) from care_item i where i.pathway_id = p.id) as prescribed,
				       last.at as last_at, last.kind as last_kind,
				       t.id as task_id, t.title, t.due_at, t.version, pc.next_contact_on
				  from page join care_pathway p on p.id = page.id join patients_card_v pc on pc.id = p.patient_id
				  left join organization_staff_v cs on cs.id = p.consultant_id
				  left join lateral (select st.at, st.kind from care_step st where st.pathway_id = p.id
				                      order by st.at desc, st.id desc limit 1) last on true
				  left join lateral (select t.id, t.title, t.due_at, t.version from tasks_task_v t
				                      where t.cause_type = 'pathway' and t.cause_id = p.id and t.open
				                      order by t.due_at limit 1) t on true
				 order by page.rank, page.since, p.id
				""".formatted(RANK, SINCE, where))
			.param("statuses", filter.statuses())
			.param("ids", scope.idsForSql())
			.param("consultant", filter.consultant())
			.param("limit", PAGE + 1)
			.param("offset", Math.max(0, filter.page()) * PAGE)
			.query((rs, n) -> new Row(rs.getLong("id"), rs.getLong("patient_id"), rs.getString("short_name"),
					rs.getString("phone"), rs.getString("status"), rs.getString("consultant"), rs.getInt("attended"),
					rs.getInt("prescribed"), instant(rs.getObject("last_at", OffsetDateTime.class)),
					rs.getString("last_kind"), (Long) rs.getObject("task_id"), rs.getString("title"),
					instant(rs.getObject("due_at", OffsetDateTime.class)), rs.getInt("version"),
					rs.getObject("next_contact_on", LocalDate.class), ""))
			.list();
		// What comes next, for the page's open pathways in one read.
		Map<Long, String> next = this.progress
			.next(rows.stream().filter(row -> PathwayProgress.OPEN.contains(row.status())).map(Row::id).toList());
		return rows.stream().map(row -> next.containsKey(row.id()) ? withNext(row, next.get(row.id())) : row).toList();
	}

	private static Row withNext(Row row, String next) {
		return new Row(row.id(), row.patientId(), row.patient(), row.phone(), row.status(), row.consultant(),
				row.attended(), row.prescribed(), row.lastAt(), row.lastKind(), row.taskId(), row.taskTitle(),
				row.taskDue(), row.taskVersion(), row.nextContactOn(), next);
	}

	/**
	 * How many pathways of each status the filter's consultant and the scope hold: the
	 * sum of the changes the pathway table's trigger appends (migration
	 * care_queue_count).
	 */
	@Transactional(readOnly = true)
	Map<String, Integer> counts(@Nullable Long consultant, BranchScope scope) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		ORDER.forEach(status -> counts.put(status, 0));
		this.jdbc
			.sql("select status, sum(n) from care_queue_count where " + scope.sql("branch_id")
					+ (consultant == null ? "" : " and consultant_id = :consultant") + " group by status")
			.param("ids", scope.idsForSql())
			.param("consultant", consultant)
			.query((rs, n) -> counts.put(rs.getString(1), rs.getInt(2)))
			.list();
		return counts;
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime at) {
		return at == null ? null : at.toInstant();
	}

}
