package dev.klinika.shared;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Each branch's own calendar day (or days) as instants, from its local midnight in its
 * time zone, so that "today" in Vladivostok and in Kaliningrad are each their own. A
 * query joins them as the table {@link #TABLE}
 * ({@code d.branch_id, d.day_from, d.day_to}) after {@link #bind}.
 */
public record BranchDays(List<Day> days) {

	/** The rows of the days: one per branch. */
	public static final String TABLE = "unnest(:dayBranches::bigint[], :dayFroms::text[]::timestamptz[], "
			+ ":dayTos::text[]::timestamptz[]) as d(branch_id, day_from, day_to)";

	public BranchDays {
		days = List.copyOf(days);
	}

	/** One branch's span: from its local midnight to another. */
	public record Day(long branchId, Instant from, Instant to) {
	}

	/**
	 * Binds the days for {@link #TABLE} (as text: the driver binds no timestamp arrays).
	 */
	public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
		return statement.param("dayBranches", this.days.stream().map(Day::branchId).toArray(Long[]::new))
			.param("dayFroms", this.days.stream().map(day -> day.from().toString()).toArray(String[]::new))
			.param("dayTos", this.days.stream().map(day -> day.to().toString()).toArray(String[]::new));
	}

}
