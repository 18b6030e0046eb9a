package dev.klinika.leads;

import java.io.Serial;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.patients.PatientSearch;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.KlinikaUser;
import dev.klinika.shared.ConcurrentChange;
import dev.klinika.shared.PhoneNumber;
import dev.klinika.tasks.Tasks;

/**
 * Inquiries become leads, one per person while it is open: a second call, form or message
 * from the same number (or card, or address) joins the open lead as another touch, and
 * the same inquiry reported twice (a webhook retried, a form sent twice) is one touch.
 * People move leads along the funnel; visits move them by themselves (see
 * {@link LeadFunnel}); every move is logged with the time the lead sat in its stage.
 */
@Service
@Transactional
public class Leads {

	private final JdbcClient jdbc;

	private final PatientSearch search;

	private final Tasks tasks;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final LeadSla sla;

	Leads(JdbcClient jdbc, PatientSearch search, Tasks tasks, AuditLog audit, CurrentUser currentUser, LeadSla sla) {
		this.jdbc = jdbc;
		this.search = search;
		this.tasks = tasks;
		this.audit = audit;
		this.currentUser = currentUser;
		this.sla = sla;
	}

	/** Ad tags a website form carries. */
	public record Utm(@Nullable String source, @Nullable String medium, @Nullable String campaign,
			@Nullable String content, @Nullable String term) {

		public static final Utm NONE = new Utm(null, null, null, null, null);

	}

	/**
	 * One inquiry: where it came from ({@code origin} is unique per inquiry, e.g.
	 * {@code call:42}), who (a phone in E.164, an address, a name), what about, and the
	 * ad source it carries. {@code contactedBy} names who already spoke with the person
	 * (an answered call).
	 */
	public record Inquiry(LeadChannel channel, String origin, @Nullable Long branchId, @Nullable String name,
			@Nullable String phone, @Nullable String email, @Nullable String interest, @Nullable Long patientId,
			@Nullable Long sourceId, @Nullable String campaign, Utm utm, @Nullable String page, Instant at,
			@Nullable String contactedBy) {
	}

	/**
	 * What taking an inquiry did: made a lead, joined an open one, or nothing (the same
	 * inquiry again).
	 */
	public record Taken(long lead, boolean created, boolean repeated) {
	}

	/** A lead change that breaks a rule; the reason is a message key suffix. */
	public static class LeadRefused extends RuntimeException {

		@Serial
		private static final long serialVersionUID = 1L;

		private final String reason;

		public LeadRefused(String reason) {
			super(reason);
			this.reason = reason;
		}

		public String reason() {
			return this.reason;
		}

	}

	public Taken take(Inquiry inquiry) {
		lock("lead-origin:" + inquiry.origin());
		Optional<Long> seen = this.jdbc.sql("select lead_id from lead_touch where origin = :origin")
			.param("origin", inquiry.origin())
			.query(Long.class)
			.optional();
		if (seen.isPresent()) {
			// The same inquiry again (a call's lead typed in from the pop-up while it
			// rang,
			// then the settled call): what it tells now fills what the lead lacks.
			this.jdbc.sql("""
					update lead set branch_id = coalesce(branch_id, :branch), source_id = coalesce(source_id, :source),
					       campaign = coalesce(campaign, :campaign)
					 where id = :id
					""")
				.param("branch", inquiry.branchId())
				.param("source", inquiry.sourceId())
				.param("campaign", cut(inquiry.campaign(), 200))
				.param("id", seen.get())
				.update();
			return new Taken(seen.get(), false, true);
		}
		String phone = inquiry.phone();
		String email = inquiry.email() == null ? null : inquiry.email().strip().toLowerCase();
		Long patient = inquiry.patientId() != null ? inquiry.patientId()
				: phone == null ? null : PhoneNumber.parse(phone).flatMap(this.search::cardOf).orElse(null);
		if (phone != null || email != null) {
			lock("lead-person:" + (phone != null ? phone : email));
		}
		Optional<Long> open = this.jdbc
			.sql("""
					select id from lead
					 where stage in ('NEW', 'IN_PROGRESS')
					   and ((:phone::varchar is not null and phone = :phone) or (:patient::bigint is not null and patient_id = :patient)
					        or (:email::varchar is not null and email = :email))
					 order by created_at desc limit 1 for update
					""")
			.param("phone", phone)
			.param("patient", patient)
			.param("email", email)
			.query(Long.class)
			.optional();
		long lead;
		boolean created = open.isEmpty();
		if (open.isPresent()) {
			lead = open.get();
			this.jdbc
				.sql("""
						update lead set touches = touches + 1, last_touch_at = greatest(last_touch_at, :at),
						       name = coalesce(name, :name), phone = coalesce(phone, :phone), email = coalesce(email, :email),
						       interest = coalesce(interest, :interest), patient_id = coalesce(patient_id, :patient),
						       source_id = coalesce(source_id, :source), campaign = coalesce(campaign, :campaign),
						       branch_id = coalesce(branch_id, :branch), utm_source = coalesce(utm_source, :utmSource),
						       utm_medium = coalesce(utm_medium, :utmMedium), utm_campaign = coalesce(utm_campaign, :utmCampaign),
						       utm_content = coalesce(utm_content, :utmContent), utm_term = coalesce(utm_term, :utmTerm),
						       page = coalesce(page, :page)
						 where id = :id
						""")
				.params(params(inquiry, phone, email, patient))
				.param("id", lead)
				.update();
		}
		else {
			int minutes = this.sla.minutes();
			Instant due = this.sla.due(inquiry.branchId(), inquiry.at(), minutes);
			lead = this.jdbc
				.sql("""
						insert into lead (branch_id, channel, name, phone, email, interest, patient_id, source_id, campaign,
						                  utm_source, utm_medium, utm_campaign, utm_content, utm_term, page, stage, stage_at,
						                  created_at, sla_due_at, last_touch_at)
						values (:branch, :channel, :name, :phone, :email, :interest, :patient, :source, :campaign,
						        :utmSource, :utmMedium, :utmCampaign, :utmContent, :utmTerm, :page, 'NEW', :at, :at, :due, :at)
						returning id
						""")
				.params(params(inquiry, phone, email, patient))
				.param("due", utc(due))
				.query(Long.class)
				.single();
			// Only a lead typed in by a person is their doing; the rest came by
			// themselves.
			log(lead, null, LeadStage.NEW, inquiry.at(), actor(), inquiry.channel() != LeadChannel.MANUAL, null);
		}
		this.jdbc.sql(
				"insert into lead_touch (origin, lead_id, channel, at, note) values (:origin, :lead, :channel, :at, :note)")
			.param("origin", inquiry.origin())
			.param("lead", lead)
			.param("channel", inquiry.channel().name())
			.param("at", utc(inquiry.at()))
			.param("note", cut(inquiry.interest(), 2000))
			.update();
		if (inquiry.contactedBy() != null) {
			contacted(lead, inquiry.at(), inquiry.contactedBy());
		}
		return new Taken(lead, created, false);
	}

	private static java.util.Map<String, Object> params(Inquiry inquiry, @Nullable String phone, @Nullable String email,
			@Nullable Long patient) {
		java.util.Map<String, Object> params = new java.util.HashMap<>();
		params.put("branch", inquiry.branchId());
		params.put("channel", inquiry.channel().name());
		params.put("name", cut(inquiry.name(), 200));
		params.put("phone", phone);
		params.put("email", cut(email, 200));
		params.put("interest", cut(inquiry.interest(), 2000));
		params.put("patient", patient);
		params.put("source", inquiry.sourceId());
		params.put("campaign", cut(inquiry.campaign(), 200));
		params.put("utmSource", cut(inquiry.utm().source(), 200));
		params.put("utmMedium", cut(inquiry.utm().medium(), 200));
		params.put("utmCampaign", cut(inquiry.utm().campaign(), 200));
		params.put("utmContent", cut(inquiry.utm().content(), 200));
		params.put("utmTerm", cut(inquiry.utm().term(), 200));
		params.put("page", cut(inquiry.page(), 1000));
		params.put("at", utc(inquiry.at()));
		return params;
	}

	/**
	 * Someone spoke with the person (or a person moved the lead on): the response clock
	 * stops, and a new lead is in progress.
	 */
	public void contacted(long lead, Instant at, String by) {
		if (markContacted(lead, at, by)) {
			locked(lead).filter(from -> from.stage() == LeadStage.NEW)
				.ifPresent(from -> move(lead, from, LeadStage.IN_PROGRESS, at, by, true));
		}
	}

	/** Stops the response clock; answers whether this was the first contact. */
	private boolean markContacted(long lead, Instant at, String by) {
		return this.jdbc.sql("""
				update lead set contacted_at = :at, contacted_by = :by where id = :id and contacted_at is null
				""").param("at", utc(at)).param("by", cut(by, 100)).param("id", lead).update() == 1;
	}

	/** A person moves a lead to a stage (LOST needs a reason: {@link #lose}). */
	public void move(long lead, int version, LeadStage to) {
		if (to == LeadStage.LOST) {
			throw new LeadRefused("LOST_NEEDS_REASON");
		}
		Stage from = lockVersion(lead, version);
		if (from.stage() == to) {
			return;
		}
		Instant now = now();
		String by = actorName();
		markContacted(lead, now, by);
		move(lead, from, to, now, by, false);
		if (!to.open()) {
			this.tasks.closeByCause("lead", List.of(lead), Tasks.Outcome.LEAD_STAGE, to.name());
		}
		this.audit.record("LEAD_MOVED", "lead", lead, from.stage() + " -> " + to);
	}

	/** A person closes a lead as lost, with a reason from the clinic's list. */
	public void lose(long lead, int version, long reason, @Nullable String comment) {
		if (comment != null && comment.length() > 500) {
			throw new LeadRefused("COMMENT_TOO_LONG");
		}
		boolean known = this.jdbc.sql("select count(*) > 0 from lost_reason where id = :id and active")
			.param("id", reason)
			.query(Boolean.class)
			.single();
		if (!known) {
			throw new LeadRefused("UNKNOWN_REASON");
		}
		Stage from = lockVersion(lead, version);
		Instant now = now();
		markContacted(lead, now, actorName());
		if (from.stage() != LeadStage.LOST) {
			move(lead, from, LeadStage.LOST, now, actorName(), false);
		}
		this.jdbc.sql("update lead set lost_reason_id = :reason, lost_comment = :comment where id = :id")
			.param("reason", reason)
			.param("comment", comment == null || comment.isBlank() ? null : comment.strip())
			.param("id", lead)
			.update();
		this.tasks.closeByCause("lead", List.of(lead), Tasks.Outcome.LEAD_LOST);
		this.audit.record("LEAD_LOST", "lead", lead, String.valueOf(reason));
	}

	/**
	 * A person corrects who the lead is, what they asked about and which branch takes it.
	 */
	public void change(long lead, int version, @Nullable String name, @Nullable String interest,
			@Nullable Long branch) {
		if ((name != null && name.length() > 200) || (interest != null && interest.length() > 2000)) {
			throw new LeadRefused("TOO_LONG");
		}
		lockVersion(lead, version);
		this.jdbc.sql("""
				update lead set name = :name, interest = :interest, branch_id = coalesce(:branch, branch_id),
				       version = version + 1
				 where id = :id
				""")
			.param("name", name == null || name.isBlank() ? null : name.strip())
			.param("interest", interest == null || interest.isBlank() ? null : interest.strip())
			.param("branch", branch)
			.param("id", lead)
			.update();
		this.audit.record("LEAD_CHANGED", "lead", lead, null);
	}

	/**
	 * Moves a lead forward by itself (a booking, an arrival, a course): never back, and a
	 * lost lead only when the person books after all.
	 */
	void advance(long lead, LeadStage to, Instant at, @Nullable Long appointment) {
		Stage from = locked(lead).orElse(null);
		if (from == null || from.stage() == to
				|| (from.stage() == LeadStage.LOST ? to != LeadStage.BOOKED : !to.after(from.stage()))) {
			return;
		}
		move(lead, from, to, at, null, true);
		if (appointment != null) {
			this.jdbc.sql("update lead set appointment_id = coalesce(appointment_id, :appointment) where id = :id")
				.param("appointment", appointment)
				.param("id", lead)
				.update();
		}
		if (!to.open()) {
			this.tasks.closeByCause("lead", List.of(lead), Tasks.Outcome.LEAD_STAGE, to.name());
		}
	}

	/** Moves a lead whose stage was read under its lock; logs the time it sat in it. */
	private void move(long lead, Stage from, LeadStage to, Instant at, @Nullable String by, boolean auto) {
		this.jdbc.sql("""
				update lead set stage = :to, stage_at = :at, version = version + 1,
				       booked_at = case when :to = 'BOOKED' then coalesce(booked_at, :at) else booked_at end,
				       lost_reason_id = case when :to = 'LOST' then lost_reason_id end,
				       lost_comment = case when :to = 'LOST' then lost_comment end
				 where id = :id
				""").param("to", to.name()).param("at", utc(at)).param("id", lead).update();
		log(lead, from.stage(), to, at, by, auto,
				Math.max(0, Duration.between(from.stageAt().toInstant(), at).toSeconds()));
	}

	/**
	 * Writes one stage change into a lead's history as it happened: for the moves made
	 * here, and for a history brought over (the demo, an import from another CRM).
	 */
	public void log(long lead, @Nullable LeadStage from, LeadStage to, Instant at, @Nullable String by, boolean auto,
			@Nullable Long seconds) {
		this.jdbc.sql("""
				insert into lead_stage_log (lead_id, from_stage, to_stage, at, by_user, auto, seconds)
				values (:lead, :from, :to, :at, :by, :auto, :seconds)
				""")
			.param("lead", lead)
			.param("from", from == null ? null : from.name())
			.param("to", to.name())
			.param("at", utc(at))
			.param("by", by)
			.param("auto", auto)
			.param("seconds", seconds)
			.update();
	}

	/**
	 * Links a lead to a patient's card (the card found by its number, or made from it).
	 */
	public void link(long lead, long patient) {
		this.jdbc.sql("update lead set patient_id = :patient, version = version + 1 where id = :id")
			.param("patient", patient)
			.param("id", lead)
			.update();
	}

	/** A lead's stage, version and the time it entered the stage. */
	private record Stage(LeadStage stage, int version, OffsetDateTime stageAt) {
	}

	/** The lead as it stands, its row locked until the transaction ends. */
	private Optional<Stage> locked(long lead) {
		return this.jdbc.sql("select stage, version, stage_at from lead where id = :id for update")
			.param("id", lead)
			.query(Stage.class)
			.optional();
	}

	/** The lead, locked, when the form that changes it saw its current version. */
	private Stage lockVersion(long lead, int version) {
		Stage locked = locked(lead).orElseThrow(() -> new LeadRefused("NOT_FOUND"));
		ConcurrentChange.check(version, locked.version(), "lead " + lead);
		return locked;
	}

	private void lock(String key) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext(:key))").param("key", key).query(String.class).optional();
	}

	private @Nullable String actor() {
		return this.currentUser.get().map(KlinikaUser::getUsername).orElse(null);
	}

	private String actorName() {
		String actor = actor();
		return actor == null ? "system" : actor;
	}

	Instant now() {
		return this.sla.now();
	}

	static @Nullable String cut(@Nullable String text, int max) {
		if (text == null || text.isBlank()) {
			return null;
		}
		String stripped = text.strip();
		return stripped.length() > max ? stripped.substring(0, max) : stripped;
	}

	static OffsetDateTime utc(Instant at) {
		return at.atOffset(ZoneOffset.UTC);
	}

}
