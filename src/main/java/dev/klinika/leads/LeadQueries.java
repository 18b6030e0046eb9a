package dev.klinika.leads;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;
import dev.klinika.shared.PhoneNumber;

/**
 * Leads as the screens show them: the board by stage, one lead with its touches and stage
 * history, the lost reasons. Every list is cut to the login's branches (leads no branch
 * took yet are everyone's).
 */
@Service
@Transactional(readOnly = true)
public class LeadQueries {

	/** Cards per column the board shows; the rest are counted. */
	static final int PER_COLUMN = 60;

	/** Counts on the board stop here ("1000+"). */
	public static final int COUNT_CAP = 1000;

	private final JdbcClient jdbc;

	private final LeadSla sla;

	LeadQueries(JdbcClient jdbc, LeadSla sla) {
		this.jdbc = jdbc;
		this.sla = sla;
	}

	/** A lead as a card and as a page. */
	public record Lead(long id, @Nullable Long branchId, @Nullable String branch, LeadChannel channel,
			@Nullable String name, @Nullable String phone, @Nullable String email, @Nullable String interest,
			@Nullable Long patientId, @Nullable String patient, @Nullable Long sourceId, @Nullable String source,
			@Nullable String campaign, @Nullable String utmSource, @Nullable String utmMedium,
			@Nullable String utmCampaign, @Nullable String utmContent, @Nullable String utmTerm, @Nullable String page,
			LeadStage stage, OffsetDateTime stageAt, @Nullable String lostReason, @Nullable String lostComment,
			OffsetDateTime createdAt, OffsetDateTime slaDueAt, @Nullable OffsetDateTime contactedAt,
			@Nullable String contactedBy, @Nullable OffsetDateTime escalatedAt, int touches, int version) {

		/** Who to show: the name, else the number, else the address. */
		public String title() {
			return LeadSla.who(this.name, this.phone == null ? this.email : this.phone);
		}

		public @Nullable String phoneDisplay() {
			return this.phone == null ? null : PhoneNumber.displayOf(this.phone);
		}

		/** Where it came from, as the board labels it. */
		public @Nullable String origin() {
			return this.source != null ? this.source : this.utmSource;
		}

		/** The UTM tags it carried, joined, if any. */
		public @Nullable String utm() {
			String joined = java.util.stream.Stream
				.of(this.utmSource, this.utmMedium, this.utmCampaign, this.utmContent, this.utmTerm)
				.filter(java.util.Objects::nonNull)
				.collect(java.util.stream.Collectors.joining(" / "));
			return joined.isEmpty() ? null : joined;
		}

		/** Nobody answered it within the promise. */
		public boolean late(Instant now) {
			return this.contactedAt == null && this.stage == LeadStage.NEW && this.slaDueAt.toInstant().isBefore(now);
		}

	}

	private static final String SELECT = """
			select l.id, l.branch_id, b.name as branch, l.channel, l.name, l.phone, l.email, l.interest, l.patient_id,
			       case when p.id is not null then p.short_name end as patient, l.source_id,
			       s.name as source, l.campaign, l.utm_source, l.utm_medium, l.utm_campaign, l.utm_content, l.utm_term,
			       l.page, l.stage, l.stage_at, r.name as lost_reason, l.lost_comment, l.created_at, l.sla_due_at,
			       l.contacted_at, l.contacted_by, l.escalated_at, l.touches, l.version
			  from lead l
			  left join organization_branch_v b on b.id = l.branch_id
			  left join patients_card_v p on p.id = l.patient_id
			  left join patients_source_v s on s.id = l.source_id
			  left join lost_reason r on r.id = l.lost_reason_id
			""";

	private static final String IN_SCOPE = "(:all or l.branch_id is null or l.branch_id in (:branches))";

	/** What the board is filtered by. */
	public record Filter(@Nullable String q, @Nullable Long sourceId, @Nullable LeadChannel channel) {

		public static final Filter NONE = new Filter(null, null, null);

	}

	/** One column of the board: its stage, its first cards and how many there are. */
	public record Column(LeadStage stage, List<Lead> leads, int total) {

		/** The count as the column's head shows it: "1000+" at the cap. */
		public String totalText() {
			return this.total >= COUNT_CAP ? COUNT_CAP + "+" : String.valueOf(this.total);
		}

	}

	/**
	 * The board: every stage with its newest leads; leads that came (and on) of the last
	 * 90 days, finished ones (came back, lost) of the last 30, unless searched for.
	 */
	public List<Column> board(BranchScope scope, Filter filter) {
		String q = filter.q() == null || filter.q().isBlank() ? null : filter.q().strip().toLowerCase();
		String digits = q == null ? null : q.replaceAll("[^0-9]", "");
		Map<String, Object> params = new java.util.HashMap<>();
		params.put("all", scope.all());
		params.put("branches", scope.idsForSql());
		params.put("q", q == null ? null : "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
		params.put("digits", digits == null || digits.length() < 4 ? "" : "%" + digits + "%");
		params.put("source", filter.sourceId());
		params.put("channel", filter.channel() == null ? null : filter.channel().name());
		params.put("since", Leads.utc(this.sla.now().minus(java.time.Duration.ofDays(30))));
		params.put("recent", Leads.utc(this.sla.now().minus(java.time.Duration.ofDays(90))));
		params.put("limit", PER_COLUMN);
		params.put("cap", COUNT_CAP);
		// Only the filters in use, so that each plan is made for what is asked.
		String where = (scope.all() ? "true" : "(l.branch_id is null or l.branch_id in (:branches))")
				+ (filter.sourceId() == null ? "" : " and l.source_id = :source")
				+ (filter.channel() == null ? "" : " and l.channel = :channel");
		Map<LeadStage, Integer> totals = new java.util.EnumMap<>(LeadStage.class);
		List<Lead> leads;
		if (q != null) {
			// A search looks through every year (the trigram index finds the rows),
			// newest first.
			leads = this.jdbc
				.sql(SELECT + " where (l.search like :q or l.search like :digits) and " + where
						+ " order by l.stage_at desc, l.id desc limit :cap")
				.params(params)
				.query(Lead.class)
				.list();
			leads.forEach(lead -> totals.merge(lead.stage(), 1, Integer::sum));
			Map<LeadStage, Integer> taken = new java.util.EnumMap<>(LeadStage.class);
			leads = leads.stream().filter(lead -> taken.merge(lead.stage(), 1, Integer::sum) <= PER_COLUMN).toList();
		}
		else {
			// Each column on its own, newest first down the (stage, stage_at) index, with
			// only the predicates of its stage: the board costs its cards, not the years
			// of leads behind them; counts stop at the cap. Custom plans: a cached
			// generic
			// plan does not know how narrow the branch makes them (50 ms became 600 ms).
			this.jdbc.sql("set local plan_cache_mode = force_custom_plan").update();
			List<String> counts = new java.util.ArrayList<>();
			List<String> cards = new java.util.ArrayList<>();
			for (LeadStage stage : LeadStage.values()) {
				String window = stage == LeadStage.LOST || stage == LeadStage.CAME_BACK ? " and l.stage_at > :since"
						: stage.open() || stage == LeadStage.BOOKED ? "" : " and l.stage_at > :recent";
				String mine = "l.stage = '" + stage.name() + "'" + window + " and " + where;
				counts.add("select '" + stage.name() + "', count(*) from (select 1 from lead l where " + mine
						+ " limit :cap) c");
				cards.add("(" + SELECT + " where " + mine + " order by l.stage_at desc, l.id desc limit :limit)");
			}
			this.jdbc.sql(String.join(" union all ", counts))
				.params(params)
				.query((rs, n) -> totals.put(LeadStage.valueOf(rs.getString(1)), rs.getInt(2)))
				.list();
			leads = this.jdbc.sql(String.join(" union all ", cards)).params(params).query(Lead.class).list();
		}
		java.util.List<Column> columns = new java.util.ArrayList<>();
		for (LeadStage stage : LeadStage.values()) {
			List<Lead> cards = leads.stream().filter(lead -> lead.stage() == stage).toList();
			columns.add(new Column(stage, cards, totals.getOrDefault(stage, 0)));
		}
		return columns;
	}

	/** New leads nobody has answered yet, the longest waiting first. */
	public List<Lead> waiting(BranchScope scope, int limit) {
		return this.jdbc
			.sql(SELECT + " where l.stage = 'NEW' and l.contacted_at is null and " + IN_SCOPE
					+ " order by l.sla_due_at, l.id limit :limit")
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.param("limit", limit)
			.query(Lead.class)
			.list();
	}

	/** A lead, when the login's branches include it. */
	public Optional<Lead> find(long id, BranchScope scope) {
		return this.jdbc.sql(SELECT + " where l.id = :id and " + IN_SCOPE)
			.param("id", id)
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query(Lead.class)
			.optional();
	}

	/** One stage change as the history shows it. */
	public record Move(@Nullable LeadStage from, LeadStage to, OffsetDateTime at, @Nullable String by, boolean auto,
			@Nullable Long seconds) {
	}

	public List<Move> history(long lead) {
		return this.jdbc.sql("""
				select from_stage as "from", to_stage as "to", at, by_user as "by", auto, seconds from lead_stage_log
				where lead_id = :id order by at, id
				""").param("id", lead).query(Move.class).list();
	}

	/** One inquiry that joined the lead. */
	public record Touch(String origin, LeadChannel channel, OffsetDateTime at, @Nullable String note) {
	}

	public List<Touch> touches(long lead) {
		return this.jdbc.sql("select origin, channel, at, note from lead_touch where lead_id = :id order by at")
			.param("id", lead)
			.query(Touch.class)
			.list();
	}

	/** A reason a lead was lost. */
	public record Reason(long id, String name, int position, boolean active) {
	}

	public List<Reason> reasons(boolean activeOnly) {
		return this.jdbc.sql(
				"select id, name, position, active from lost_reason where active or not :active order by position, name")
			.param("active", activeOnly)
			.query(Reason.class)
			.list();
	}

	/** New leads nobody has answered within the promise, in the login's branches. */
	public int late(BranchScope scope) {
		return this.jdbc
			.sql("select count(*) from lead l where l.stage = 'NEW' and l.contacted_at is null"
					+ " and l.sla_due_at < :now and " + IN_SCOPE)
			.param("now", Leads.utc(this.sla.now()))
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query(Integer.class)
			.single();
	}

	/**
	 * The open lead of a call (the caller's number, while it is open), for the pop-up.
	 */
	public Optional<Long> ofOrigin(String origin) {
		return this.jdbc.sql("select lead_id from lead_touch where origin = :origin")
			.param("origin", origin)
			.query(Long.class)
			.optional();
	}

}
