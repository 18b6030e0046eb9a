package dev.klinika.telephony;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;

/**
 * The reception's calls in figures, per login (a PBX extension mapped to its login, else
 * the employee as the PBX names them) and day: incoming calls answered and missed at
 * their phone, missed calls they returned, and the median time from a missed call to
 * getting through to that number.
 */
@Service
@Transactional(readOnly = true)
public class CallStats {

	private final JdbcClient jdbc;

	CallStats(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** One admin's day on the phone. */
	public record Day(LocalDate day, String who, int answered, int missed, int callbacks,
			@Nullable Double medianCallbackSeconds) {
	}

	public List<Day> perAdmin(Instant from, Instant to, ZoneId zone, BranchScope scope) {
		return this.jdbc
			.sql("""
					with calls as (
					  select (c.started_at at time zone :zone)::date as day, coalesce(e.username, c.employee, '—') as who,
					         count(*) filter (where c.answered_at is not null) as answered,
					         count(*) filter (where c.answered_at is null and c.ended_at is not null) as missed
					    from call c left join pbx_employee e on e.pbx_id = c.employee
					   where c.direction = 'IN' and c.started_at >= :from and c.started_at < :to
					     and (:all or c.branch_id is null or c.branch_id in (:branches))
					   group by 1, 2),
					callbacks as (
					  select (m.ended_at at time zone :zone)::date as day, coalesce(e.username, n.employee, '—') as who,
					         count(*) as callbacks,
					         percentile_cont(0.5) within group (order by extract(epoch from n.answered_at - m.ended_at)) as median
					    from call m
					    join lateral (select x.employee, x.answered_at from call x
					                   where x.answered_at is not null and x.started_at >= m.ended_at
					                     and ((x.direction = 'OUT' and x.called = m.caller) or (x.direction = 'IN' and x.caller = m.caller))
					                   order by x.started_at limit 1) n on true
					    left join pbx_employee e on e.pbx_id = n.employee
					   where m.direction = 'IN' and m.answered_at is null and m.ended_at is not null and m.caller is not null
					     and m.started_at >= :from and m.started_at < :to
					     and (:all or m.branch_id is null or m.branch_id in (:branches))
					   group by 1, 2)
					select coalesce(c.day, b.day) as day, coalesce(c.who, b.who) as who, coalesce(c.answered, 0) as answered,
					       coalesce(c.missed, 0) as missed, coalesce(b.callbacks, 0) as callbacks, b.median as median_callback_seconds
					  from calls c full join callbacks b on b.day = c.day and b.who = c.who
					 order by 1 desc, 2
					""")
			.param("zone", zone.getId())
			.param("from", Calls.utc(from))
			.param("to", Calls.utc(to))
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query(Day.class)
			.list();
	}

	/**
	 * Incoming calls missed on each branch's day (a line no branch owns counts for the
	 * main branch), by branch id.
	 */
	public java.util.Map<Long, Integer> missedPerBranch(dev.klinika.shared.BranchDays days, long mainBranch) {
		java.util.Map<Long, Integer> missed = new java.util.HashMap<>();
		if (days.days().isEmpty()) {
			return missed;
		}
		days.bind(this.jdbc
			.sql("""
					select d.branch_id, count(c.id) from %s
					  join call c on coalesce(c.branch_id, :main) = d.branch_id and c.direction = 'IN' and c.answered_at is null
					   and c.ended_at is not null and c.started_at >= d.day_from and c.started_at < d.day_to
					 group by d.branch_id
					"""
				.formatted(dev.klinika.shared.BranchDays.TABLE)))
			.param("main", mainBranch)
			.query((rs, n) -> missed.put(rs.getLong(1), rs.getInt(2)))
			.list();
		return missed;
	}

}
