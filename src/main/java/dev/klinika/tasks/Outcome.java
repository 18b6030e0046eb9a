package dev.klinika.tasks;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;

/**
 * Whether the rules lose anyone, measured over the base: every completed repeating
 * service without a later booking has a recall task or a booking; every no-show has a
 * task; and the patients who fell through (no future booking, no open task, and past
 * their recall or next-contact date), a number to drive to zero.
 */
@Component
@Transactional(readOnly = true)
public class Outcome {

	/**
	 * The last completed repeating service of each patient and when it is due again
	 * (PostgreSQL reads the ISO period, e.g. P6M, as an interval).
	 */
	private static final String RECALLS = """
			select distinct on (a.patient_id, a.service_id) a.id, a.patient_id, a.service_id, a.branch_id,
			       lower(a.during) + cast(s.repeat_interval as interval) as due
			  from scheduling_appointment_v a join catalog_service_v s on s.id = a.service_id
			 where a.status = 'COMPLETED' and s.repeat_interval is not null
			 order by a.patient_id, a.service_id, lower(a.during) desc
			""";

	private final JdbcClient jdbc;

	Outcome(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The three figures, for the branches in scope. */
	public record Figures(long repeating, long repeatingCovered, long noShows, long noShowsCovered, long fellThrough) {

		public int repeatingShare() {
			return share(this.repeatingCovered, this.repeating);
		}

		public int noShowShare() {
			return share(this.noShowsCovered, this.noShows);
		}

		private static int share(long part, long whole) {
			return whole == 0 ? 100 : (int) Math.floor(100.0 * part / whole);
		}

	}

	public Figures figures(BranchScope scope) {
		Map<String, Object> row = this.jdbc
			.sql("with r as (" + RECALLS
					+ """
							)
							select
							  (select count(*) from r where (:all or r.branch_id in (:ids))
							     and not exists (select 1 from scheduling_appointment_v later where later.patient_id = r.patient_id
							                     and later.service_id = r.service_id and later.id <> r.id
							                     and later.holds_time and lower(later.during) > (select lower(during) from scheduling_appointment_v where id = r.id)))
							    as repeating,
							  (select count(*) from r where (:all or r.branch_id in (:ids))
							     and not exists (select 1 from scheduling_appointment_v later where later.patient_id = r.patient_id
							                     and later.service_id = r.service_id and later.id <> r.id
							                     and later.holds_time and lower(later.during) > (select lower(during) from scheduling_appointment_v where id = r.id))
							     and exists (select 1 from task t where t.patient_id = r.patient_id and t.kind = 'BOOK' and t.service_id = r.service_id))
							    as repeating_covered,
							  (select count(*) from scheduling_appointment_v a where a.status = 'NO_SHOW' and (:all or a.branch_id in (:ids))) as no_shows,
							  (select count(*) from scheduling_appointment_v a where a.status = 'NO_SHOW' and (:all or a.branch_id in (:ids))
							     and exists (select 1 from task t where t.cause_type = 'appointment' and t.cause_id = a.id)) as no_shows_covered
							""")
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.query()
			.singleRow();
		return new Figures(number(row, "repeating"), number(row, "repeating_covered"), number(row, "no_shows"),
				number(row, "no_shows_covered"), count(Filter.FELL_THROUGH, null, 0, scope));
	}

	/** A patient who fell through, with why. */
	public record Lost(long patientId, String name, long branchId, String reason) {
	}

	/**
	 * Patients with no future booking and no open task who are past their recall date or
	 * their next-contact date.
	 */
	public List<Lost> fellThrough(BranchScope scope, int limit) {
		return patients(Filter.FELL_THROUGH, null, 0, scope, limit);
	}

	/** Which patients a call-out list takes. */
	public enum Filter {

		FELL_THROUGH, TAG, NO_VISIT

	}

	/**
	 * Patients of a filter, none of them booked ahead: those who fell through; those with
	 * a tag; those whose last visit is older than some months.
	 */
	public List<Lost> patients(Filter filter, @Nullable String tag, int months, BranchScope scope, int limit) {
		Selection selection = selection(filter, tag, months, scope);
		return this.jdbc.sql(selection.sql() + " order by p.id limit :limit")
			.params(selection.params())
			.param("limit", limit)
			.query((rs, n) -> new Lost(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
			.list();
	}

	/** How many patients a filter takes, counted in the database. */
	public long count(Filter filter, @Nullable String tag, int months, BranchScope scope) {
		Selection selection = selection(filter, tag, months, scope);
		return this.jdbc.sql("select count(*) from (" + selection.sql() + ") chosen")
			.params(selection.params())
			.query(Long.class)
			.single();
	}

	/** A filter's patients as one query, without order or limit, and its parameters. */
	private record Selection(String sql, Map<String, Object> params) {
	}

	private static Selection selection(Filter filter, @Nullable String tag, int months, BranchScope scope) {
		if (filter == Filter.TAG && (tag == null || tag.isBlank() || tag.length() > 50)) {
			throw new TaskRefused("FILTER");
		}
		if (filter == Filter.NO_VISIT && (months < 1 || months > 60)) {
			throw new TaskRefused("FILTER");
		}
		String reason = switch (filter) {
			case FELL_THROUGH -> "case when p.next_contact_on < current_date then 'NEXT_CONTACT' else 'RECALL' end";
			case TAG, NO_VISIT -> "'" + filter.name() + "'";
		};
		String condition = switch (filter) {
			// The candidates (past their next contact or a recall) come from their own
			// indexes, instead of testing every card of the base.
			case FELL_THROUGH ->
				"not exists (select 1 from task t where t.patient_id = p.id and t.status in ('OPEN', 'IN_PROGRESS'))";
			case TAG ->
				"exists (select 1 from patients_tag_v g where g.patient_id = p.id and lower(g.tag) = lower(:tag))";
			case NO_VISIT -> "(select max(lower(a.during)) from scheduling_appointment_v a where a.patient_id = p.id"
					+ " and a.status = 'COMPLETED') < now() - make_interval(months => :months)";
		};
		String patients = filter == Filter.FELL_THROUGH
				? "(select id from patients_card_v where next_contact_on < current_date"
						+ " union select patient_id from r where due < now()) c join patients_card_v p on p.id = c.id"
				: "patients_card_v p";
		String sql = "with r as (" + RECALLS + ") select p.id, p.short_name as name, p.home_branch_id, " + reason
				+ " as reason from " + patients
				+ " where p.merged_into is null and p.erased_at is null and (:all or p.home_branch_id in (:ids))"
				+ " and not exists (select 1 from scheduling_appointment_v f where f.patient_id = p.id and lower(f.during) > now()"
				+ " and f.expected) and " + condition;
		Map<String, Object> params = new java.util.HashMap<>();
		params.put("tag", tag == null ? "" : tag.trim());
		params.put("months", months);
		params.put("all", scope.all());
		params.put("ids", scope.idsForSql());
		return new Selection(sql, params);
	}

	private static long number(Map<String, Object> row, String key) {
		return ((Number) row.get(key)).longValue();
	}

}
