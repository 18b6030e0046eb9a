package dev.klinika.leads;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;
import dev.klinika.telephony.CallStats;

/**
 * The senior admin's report: per admin and day, calls answered and missed, missed calls
 * returned and the median time it took, leads handled and how many of those they answered
 * first went on to book; per ad source, leads, answered in time, booked, came and lost.
 */
@Service
@Transactional(readOnly = true)
public class LeadReport {

	private final JdbcClient jdbc;

	private final CallStats calls;

	LeadReport(JdbcClient jdbc, CallStats calls) {
		this.jdbc = jdbc;
		this.calls = calls;
	}

	/** One admin's day. */
	public record AdminDay(LocalDate day, String who, int answered, int missed, int callbacks,
			@Nullable Double medianCallbackSeconds, int leadsHandled, int leadsAnswered, int leadsBooked) {

		/** Share of the leads they answered first that booked, in percent. */
		public @Nullable Integer conversion() {
			return this.leadsAnswered == 0 ? null : Math.round(100f * this.leadsBooked / this.leadsAnswered);
		}

		public @Nullable Long medianCallbackMinutes() {
			return this.medianCallbackSeconds == null ? null : Math.round(this.medianCallbackSeconds / 60);
		}

	}

	/** One ad source's leads. */
	public record Source(String source, int leads, int inTime, int booked, int came, int lost,
			@Nullable Double medianResponseSeconds) {

		public int conversion() {
			return this.leads == 0 ? 0 : Math.round(100f * this.booked / this.leads);
		}

		/**
		 * The channel, when the lead named no source and the row stands for its channel
		 * (a call, a form) instead.
		 */
		public @Nullable LeadChannel channel() {
			return java.util.Arrays.stream(LeadChannel.values())
				.filter(c -> c.name().equals(this.source))
				.findFirst()
				.orElse(null);
		}

		public @Nullable Long medianResponseMinutes() {
			return this.medianResponseSeconds == null ? null : Math.round(this.medianResponseSeconds / 60);
		}

	}

	public List<AdminDay> perAdmin(Instant from, Instant to, ZoneId zone, BranchScope scope) {
		record Key(LocalDate day, String who) {
		}
		Map<Key, AdminDay> days = new TreeMap<>(
				Comparator.comparing(Key::day).reversed().thenComparing(Key::who, String.CASE_INSENSITIVE_ORDER));
		for (CallStats.Day day : this.calls.perAdmin(from, to, zone, scope)) {
			days.put(new Key(day.day(), day.who()), new AdminDay(day.day(), day.who(), day.answered(), day.missed(),
					day.callbacks(), day.medianCallbackSeconds(), 0, 0, 0));
		}
		record Handled(LocalDate day, String who, int handled, int answered, int booked) {
		}
		List<Handled> handled = this.jdbc.sql("""
				with moves as (
				  select (g.at at time zone :zone)::date as day, g.by_user as who, g.lead_id
				    from lead_stage_log g join lead l on l.id = g.lead_id
				   where not g.auto and g.by_user is not null and g.to_stage <> 'NEW' and g.at >= :from and g.at < :to
				     and (:all or l.branch_id is null or l.branch_id in (:branches))
				  union
				  select (l.contacted_at at time zone :zone)::date, l.contacted_by, l.id from lead l
				   where l.contacted_by is not null and l.contacted_at >= :from and l.contacted_at < :to
				     and (:all or l.branch_id is null or l.branch_id in (:branches))),
				firsts as (
				  select (l.contacted_at at time zone :zone)::date as day, l.contacted_by as who, count(*) as answered,
				         count(*) filter (where l.booked_at is not null) as booked
				    from lead l
				   where l.contacted_by is not null and l.contacted_at >= :from and l.contacted_at < :to
				     and (:all or l.branch_id is null or l.branch_id in (:branches))
				   group by 1, 2)
				select m.day, m.who, count(distinct m.lead_id) as handled, coalesce(max(f.answered), 0) as answered,
				       coalesce(max(f.booked), 0) as booked
				  from moves m left join firsts f on f.day = m.day and f.who = m.who
				 group by m.day, m.who
				""")
			.param("zone", zone.getId())
			.param("from", Leads.utc(from))
			.param("to", Leads.utc(to))
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query(Handled.class)
			.list();
		for (Handled row : handled) {
			Key key = new Key(row.day(), row.who());
			AdminDay day = days.get(key);
			days.put(key,
					day == null
							? new AdminDay(row.day(), row.who(), 0, 0, 0, null, row.handled(), row.answered(),
									row.booked())
							: new AdminDay(day.day(), day.who(), day.answered(), day.missed(), day.callbacks(),
									day.medianCallbackSeconds(), row.handled(), row.answered(), row.booked()));
		}
		return new ArrayList<>(days.values());
	}

	public List<Source> perSource(Instant from, Instant to, BranchScope scope) {
		return this.jdbc
			.sql("""
					select coalesce(s.name, l.utm_source, l.channel) as source, count(*) as leads,
					       count(*) filter (where l.contacted_at is not null and l.contacted_at <= l.sla_due_at) as in_time,
					       count(*) filter (where l.booked_at is not null) as booked,
					       count(*) filter (where l.stage in ('CAME', 'COURSE_STARTED', 'COURSE_COMPLETED', 'CAME_BACK')) as came,
					       count(*) filter (where l.stage = 'LOST') as lost,
					       percentile_cont(0.5) within group (order by extract(epoch from l.contacted_at - l.created_at))
					         as median_response_seconds
					  from lead l left join patients_source_v s on s.id = l.source_id
					 where l.created_at >= :from and l.created_at < :to
					   and (:all or l.branch_id is null or l.branch_id in (:branches))
					 group by 1 order by 2 desc, 1
					""")
			.param("from", Leads.utc(from))
			.param("to", Leads.utc(to))
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query(Source.class)
			.list();
	}

	/**
	 * Leads of each branch's day that were not answered within the promise (answered late
	 * or still waiting past it), by branch id; a lead no branch owns counts for the main
	 * branch.
	 */
	public Map<Long, Integer> latePerBranch(dev.klinika.shared.BranchDays days, long mainBranch, Instant now) {
		Map<Long, Integer> late = new java.util.HashMap<>();
		if (days.days().isEmpty()) {
			return late;
		}
		days.bind(this.jdbc.sql("""
				select d.branch_id, count(l.id) from %s
				  join lead l on coalesce(l.branch_id, :main) = d.branch_id
				   and l.created_at >= d.day_from and l.created_at < d.day_to
				   and (l.contacted_at > l.sla_due_at or (l.contacted_at is null and l.sla_due_at < :now))
				 group by d.branch_id
				""".formatted(dev.klinika.shared.BranchDays.TABLE)))
			.param("main", mainBranch)
			.param("now", Leads.utc(now))
			.query((rs, n) -> late.put(rs.getLong(1), rs.getInt(2)))
			.list();
		return late;
	}

	/** Leads of a week per channel (call, form, message, typed in). */
	public Map<LeadChannel, Integer> perChannel(Instant from, Instant to, BranchScope scope) {
		Map<LeadChannel, Integer> counts = new java.util.EnumMap<>(LeadChannel.class);
		for (LeadChannel channel : LeadChannel.values()) {
			counts.put(channel, 0);
		}
		this.jdbc.sql("""
				select l.channel, count(*) from lead l
				 where l.created_at >= :from and l.created_at < :to
				   and (:all or l.branch_id is null or l.branch_id in (:branches))
				 group by 1
				""")
			.param("from", Leads.utc(from))
			.param("to", Leads.utc(to))
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query((rs, n) -> counts.put(LeadChannel.valueOf(rs.getString(1)), rs.getInt(2)))
			.list();
		return counts;
	}

}
