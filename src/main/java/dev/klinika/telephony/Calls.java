package dev.klinika.telephony;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.patients.PatientSearch;
import dev.klinika.shared.PhoneNumber;
import dev.klinika.tasks.Tasks;

/**
 * Calls as the PBX reports them. Each event is stored once (by the vendor's event id)
 * under the call's row lock, and the call is recomputed from the set of its events, so
 * that order does not matter: the earliest start and answer, the latest end, the numbers
 * and direction of the first event, the employee of the answering leg. A call that ends
 * unanswered is missed; once settled (ended, and quiet for a moment) it gets a callback
 * unless the caller got through since; answering the caller (their call back, or ours to
 * them) closes it.
 */
@Service
@Transactional
public class Calls {

	private final JdbcClient jdbc;

	private final Tasks tasks;

	private final ApplicationEventPublisher events;

	private final PatientSearch search;

	private final Callbacks callbacks;

	Calls(JdbcClient jdbc, Tasks tasks, ApplicationEventPublisher events, PatientSearch search, Callbacks callbacks) {
		this.search = search;
		this.callbacks = callbacks;
		this.jdbc = jdbc;
		this.tasks = tasks;
		this.events = events;
	}

	/** An incoming call rings: the branch's admins should see who it is. */
	public record CallRinging(long call, @Nullable Long branch, @Nullable String caller, @Nullable Long patient) {
	}

	/**
	 * An incoming call reached the clinic (reported once, when it is settled), with the
	 * ad source and campaign of the line it rang on, and when and by whom it was
	 * answered: the leads work turns a stranger's call into a lead.
	 */
	public record CallReceived(long call, @Nullable Long branch, @Nullable String caller, @Nullable Long patient,
			@Nullable Long source, @Nullable String campaign, Instant at, @Nullable Instant answeredAt,
			@Nullable String answeredBy) {
	}

	/**
	 * Someone at the clinic spoke with the other party: an incoming call picked up or an
	 * outgoing one answered.
	 */
	public record CallAnswered(long call, String direction, @Nullable String number, @Nullable String employee,
			Instant at) {
	}

	/** What applying an event did. */
	public record Applied(long call, boolean fresh, String status) {
	}

	/** A call as stored. */
	record Row(long id, String direction, @Nullable String caller, @Nullable String called, @Nullable String line,
			@Nullable Long branchId, @Nullable String employee, OffsetDateTime startedAt,
			@Nullable OffsetDateTime answeredAt, @Nullable OffsetDateTime endedAt, @Nullable String recordingUrl,
			@Nullable Long patientId, @Nullable Long sourceId, @Nullable String campaign, String status) {
	}

	/** Applies one event; a repeated event changes nothing and says so. */
	public Applied apply(CallEvent event) {
		String caller = number(event.caller());
		String called = number(event.called());
		// One statement inserts the call or locks the existing row, and returns it as it
		// was (xmax = 0: inserted now).
		record Locked(Row row, boolean created) {
		}
		Locked locked = this.jdbc.sql("""
				insert into call as c (vendor, vendor_call_id, direction, caller, called, started_at, settled_at)
				values (:vendor, :call, :direction, :caller, :called, :at, null)
				on conflict (vendor, vendor_call_id) do update set vendor = c.vendor
				returning id, direction, caller, called, line, branch_id, employee, started_at, answered_at, ended_at,
				          recording_url, patient_id, source_id, campaign, status, xmax = 0 as created
				""")
			.param("vendor", event.vendor())
			.param("call", event.callId())
			.param("direction", event.direction().name())
			.param("caller", caller)
			.param("called", called)
			.param("at", utc(event.at()))
			.query((rs, n) -> new Locked(row(rs), rs.getBoolean("created")))
			.single();
		boolean created = locked.created();
		// A call just inserted holds this event's numbers already: read it as if empty.
		Row before = created ? new Row(locked.row().id(), locked.row().direction(), null, null, null, null, null,
				locked.row().startedAt(), null, null, null, null, null, null, "RINGING") : locked.row();
		boolean recording = event.kind() == CallEvent.Kind.RECORDING;
		boolean fresh = this.jdbc
			.sql("""
					insert into call_event (vendor, event_id, call_id, kind, at, direction, caller, called, employee, recording_url)
					values (:vendor, :event, :id, :kind, :at, :direction, :caller, :called, :employee, :recording)
					on conflict do nothing
					""")
			.param("vendor", event.vendor())
			.param("event", event.eventId())
			.param("id", before.id())
			.param("kind", event.kind().name())
			.param("at", utc(event.at()))
			.param("direction", event.direction().name())
			.param("caller", caller)
			.param("called", called)
			.param("employee", event.employee())
			.param("recording", recording ? event.recordingUrl() : null)
			.update() == 1;
		if (!fresh) {
			return new Applied(before.id(), false, before.status());
		}
		Merged merged = merge(before.id());
		// The first event that is not a recording's notice tells the reception of the
		// call.
		boolean first = !recording && merged.calls() == 1;
		String direction = merged.direction() != null ? merged.direction() : before.direction();
		// For old calls whose events were stored before they kept their numbers.
		String callerNumber = first(merged.caller(), before.caller());
		String calledNumber = first(merged.called(), before.called());
		String theirs = "OUT".equals(direction) ? calledNumber : callerNumber;
		String ours = "OUT".equals(direction) ? callerNumber : calledNumber;
		Line known = ours == null ? null : line(ours).orElse(null);
		String beforeTheirs = "OUT".equals(before.direction()) ? before.called() : before.caller();
		// The card is looked up when the other party's number becomes known or changes.
		Long patient = before.patientId() != null && java.util.Objects.equals(beforeTheirs, theirs) ? before.patientId()
				: patientOf(theirs);
		Long branch = known != null ? known.branchId() : before.branchId();
		OffsetDateTime answered = merged.answered();
		OffsetDateTime ended = merged.ended();
		this.jdbc
			.sql("""
					update call set direction = :direction, caller = :caller, called = :called, line = :line,
					       branch_id = :branch, source_id = :source, campaign = :campaign, employee = :employee,
					       started_at = :started, answered_at = :answered, ended_at = :ended,
					       recording_url = coalesce(:recording, recording_url), patient_id = :patient, last_event_at = now(),
					       -- A call that turns out answered was never missed: no other call handled it.
					       handled_at = case when :answered::timestamptz is not null and handled_by = 'callback' then null else handled_at end,
					       handled_by = case when :answered::timestamptz is not null and handled_by = 'callback' then null else handled_by end
					 where id = :id
					""")
			.param("direction", direction)
			.param("caller", callerNumber)
			.param("called", calledNumber)
			.param("line", ours != null && ours.length() <= 16 ? ours : before.line())
			.param("branch", branch)
			.param("source", known != null ? known.sourceId() : before.sourceId())
			.param("campaign", known != null ? known.campaign() : before.campaign())
			.param("employee", first(merged.employee(), before.employee()))
			.param("started", merged.started())
			.param("answered", answered)
			.param("ended", ended)
			.param("recording", merged.recordingUrl())
			.param("patient", patient)
			.param("id", before.id())
			.update();
		String status = answered != null ? "ANSWERED" : ended != null ? "MISSED" : "RINGING";
		boolean incoming = "IN".equals(direction);
		if (first && incoming && "RINGING".equals(status)) {
			// The pop-up is for a call that still rings; its screen drops it when the
			// call
			// is answered or ends.
			this.events.publishEvent(new CallRinging(before.id(), branch, theirs, patient));
		}
		if ("ANSWERED".equals(status) && !"ANSWERED".equals(before.status())) {
			this.events.publishEvent(
					new CallAnswered(before.id(), direction, theirs, login(merged.employee()), answered.toInstant()));
			if (theirs != null) {
				calledBack(theirs, before.id(), answered);
			}
		}
		return new Applied(before.id(), true, status);
	}

	/** What a call's events say together, whatever order they came in. */
	private record Merged(@Nullable String direction, @Nullable String caller, @Nullable String called,
			@Nullable String employee, OffsetDateTime started, @Nullable OffsetDateTime answered,
			@Nullable OffsetDateTime ended, @Nullable String recordingUrl, int calls) {
	}

	/**
	 * The call from the set of its events, read in the order of their times (then ids, so
	 * that ties are decided the same way every time): the direction and numbers of the
	 * first event that is not a recording's notice, the earliest start and answer, the
	 * latest end, the employee of the earliest answer (else of the earliest event that
	 * names one), the latest recording.
	 */
	private Merged merge(long call) {
		record Stored(String kind, OffsetDateTime at, @Nullable String direction, @Nullable String caller,
				@Nullable String called, @Nullable String employee, @Nullable String recordingUrl) {
		}
		List<Stored> stored = this.jdbc.sql("""
				select kind, at, direction, caller, called, employee, recording_url from call_event
				 where call_id = :call order by at, event_id
				""").param("call", call).query(Stored.class).list();
		String direction = null;
		String caller = null;
		String called = null;
		String employee = null;
		String answeredBy = null;
		OffsetDateTime started = null;
		OffsetDateTime answered = null;
		OffsetDateTime ended = null;
		String recordingUrl = null;
		int calls = 0;
		for (Stored event : stored) {
			boolean recording = "RECORDING".equals(event.kind());
			if (recording) {
				recordingUrl = event.recordingUrl() != null ? event.recordingUrl() : recordingUrl;
				continue;
			}
			calls++;
			direction = first(direction, event.direction());
			caller = first(caller, event.caller());
			called = first(called, event.called());
			employee = first(employee, event.employee());
			started = started == null ? event.at() : started;
			if ("ANSWERED".equals(event.kind())) {
				answered = answered == null ? event.at() : answered;
				answeredBy = first(answeredBy, event.employee());
			}
			if ("ENDED".equals(event.kind()) || "MISSED".equals(event.kind())) {
				ended = event.at();
			}
		}
		if (started == null) {
			// Only a recording's notice so far: the call starts when it says.
			started = stored.get(0).at();
			direction = stored.get(0).direction();
		}
		return new Merged(direction, caller, called, first(answeredBy, employee), started, answered, ended,
				recordingUrl, calls);
	}

	/**
	 * Settles one call that has ended and heard nothing for a while: an unanswered
	 * incoming call that nobody got through to since becomes a callback task, and a
	 * stranger's call a lead. Side effects wait for this so that they follow from the
	 * whole call, not from whichever of its events came first. Returns false when the
	 * call is settled already or being settled elsewhere.
	 */
	public boolean settle(long id) {
		record Settling(Row call, @Nullable String handledBy) {
		}
		Settling settling = this.jdbc.sql("""
				select id, direction, caller, called, line, branch_id, employee, started_at, answered_at, ended_at,
				       recording_url, patient_id, source_id, campaign, status, handled_by
				  from call where id = :id and settled_at is null and ended_at is not null for update skip locked
				""")
			.param("id", id)
			.query((rs, n) -> new Settling(row(rs), rs.getString("handled_by")))
			.optional()
			.orElse(null);
		if (settling == null) {
			return false;
		}
		Row call = settling.call();
		this.jdbc.sql("update call set settled_at = now() where id = :id").param("id", id).update();
		if (!"IN".equals(call.direction())) {
			return true;
		}
		// Handled by a person: no callback. Otherwise the caller may have got through
		// since (and the earliest such answer handles it, whichever came first).
		boolean byHand = settling.handledBy() != null && !"callback".equals(settling.handledBy());
		if ("MISSED".equals(call.status()) && !byHand && !gotThroughSince(call)) {
			this.callbacks.ask(call);
		}
		this.events.publishEvent(new CallReceived(call.id(), call.branchId(), call.caller(), call.patientId(),
				call.sourceId(), call.campaign(), call.startedAt().toInstant(),
				call.answeredAt() == null ? null : call.answeredAt().toInstant(), login(call.employee())));
		return true;
	}

	/** Unsettled calls whose last event is older than {@code quiet}, earliest first. */
	public List<Long> unsettled(java.time.Duration quiet, int limit) {
		return this.jdbc.sql("""
				select id from call where settled_at is null and ended_at is not null
				   and last_event_at <= now() - make_interval(secs => :quiet)
				 order by started_at, id limit :limit
				""").param("quiet", quiet.toMillis() / 1000.0).param("limit", limit).query(Long.class).list();
	}

	/**
	 * Whether the caller of a missed call got through (their own call, or ours to them,
	 * answered after this one started): then it is handled by that call, with no
	 * callback.
	 */
	private boolean gotThroughSince(Row missed) {
		if (missed.caller() == null) {
			return false;
		}
		Optional<OffsetDateTime> through = this.jdbc.sql("""
				select min(answered_at) from call
				 where id <> :id and answered_at >= :started
				   and (direction = 'IN' and caller = :number or direction = 'OUT' and called = :number)
				""")
			.param("id", missed.id())
			.param("started", missed.startedAt())
			.param("number", missed.caller())
			.query(OffsetDateTime.class)
			.optional();
		through.ifPresent(at -> this.jdbc
			.sql("update call set handled_at = :at, handled_by = 'callback' where id = :id and " + NOT_HANDLED_EARLIER)
			.param("at", at)
			.param("id", missed.id())
			.update());
		return through.isPresent();
	}

	/**
	 * A missed call not handled yet, or handled by an answer later than {@code :at}: the
	 * earliest answer that got through handles it, whichever came first.
	 */
	private static final String NOT_HANDLED_EARLIER = "(handled_at is null or handled_by = 'callback' and handled_at > :at)";

	private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new Row(rs.getLong("id"), rs.getString("direction"), rs.getString("caller"), rs.getString("called"),
				rs.getString("line"), (Long) rs.getObject("branch_id"), rs.getString("employee"),
				rs.getObject("started_at", OffsetDateTime.class), rs.getObject("answered_at", OffsetDateTime.class),
				rs.getObject("ended_at", OffsetDateTime.class), rs.getString("recording_url"),
				(Long) rs.getObject("patient_id"), (Long) rs.getObject("source_id"), rs.getString("campaign"),
				rs.getString("status"));
	}

	/**
	 * The caller got through (or we got through to them): their missed calls that started
	 * before are handled by this call (by the earliest such call, whichever came first),
	 * and the callbacks done.
	 */
	private void calledBack(String number, long answered, OffsetDateTime at) {
		List<Long> missed = this.jdbc.sql("""
				update call set handled_at = :at, handled_by = 'callback'
				 where """ + NOT_HANDLED_EARLIER + """
				   and answered_at is null and ended_at is not null and direction = 'IN'
				   and caller = :number and id <> :answered and started_at <= :at
				returning id
				""").param("number", number).param("answered", answered).param("at", at).query(Long.class).list();
		// A missed call that turns out answered (its events came out of order) is no
		// callback either.
		List<Long> all = new java.util.ArrayList<>(missed);
		all.add(answered);
		this.tasks.closeByCause("call", all, Tasks.Outcome.CALLED_BACK);
	}

	/**
	 * The login a PBX extension or employee name belongs to, else the name as the PBX
	 * sent it.
	 */
	private @Nullable String login(@Nullable String employee) {
		return employee == null ? null
				: this.jdbc.sql("select username from pbx_employee where pbx_id = :e")
					.param("e", employee)
					.query(String.class)
					.optional()
					.orElse(employee);
	}

	/** A clinic line and what it was bought for. */
	record Line(String number, @Nullable Long branchId, @Nullable Long sourceId, @Nullable String campaign) {
	}

	Optional<Line> line(String number) {
		return this.jdbc
			.sql("select number, branch_id, source_id, campaign from phone_line where number = :n and active")
			.param("n", number)
			.query(Line.class)
			.optional();
	}

	private @Nullable Long patientOf(@Nullable String number) {
		if (number == null || !number.startsWith("+")) {
			return null;
		}
		return PhoneNumber.parse(number).flatMap(this.search::cardOf).orElse(null);
	}

	/**
	 * A number as E.164 when it parses, else as sent (short extensions, foreign formats);
	 * null when hidden.
	 */
	static @Nullable String number(@Nullable String raw) {
		if (raw == null) {
			return null;
		}
		String text = raw.strip();
		if (text.isEmpty() || text.equalsIgnoreCase("anonymous") || text.equalsIgnoreCase("unknown")
				|| text.equalsIgnoreCase("hidden") || text.equalsIgnoreCase("private")) {
			return null;
		}
		String digits = text.replaceAll("[^0-9+]", "");
		if (digits.length() == 11 && digits.startsWith("7")) {
			digits = "+" + digits;
		}
		return PhoneNumber.parse(digits)
			.map(PhoneNumber::e164)
			.orElse(text.length() > 40 ? text.substring(0, 40) : text);
	}

	private static @Nullable String first(@Nullable String a, @Nullable String b) {
		return a != null ? a : b;
	}

	static OffsetDateTime utc(Instant at) {
		return at.atOffset(ZoneOffset.UTC);
	}

}
