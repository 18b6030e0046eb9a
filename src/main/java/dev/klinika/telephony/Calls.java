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
 * Calls as the PBX reports them. Each event is applied once (by the vendor's event id)
 * under the call's row lock, and merged so that order does not matter: the earliest start
 * and answer, the latest end, the first of each number. A call that ends unanswered is
 * missed and gets a callback; answering the caller (their call back, or ours to them)
 * closes it.
 */
@Service
@Transactional
public class Calls {

	private final JdbcClient jdbc;

	private final Tasks tasks;

	private final ApplicationEventPublisher events;

	private final PatientSearch search;

	Calls(JdbcClient jdbc, Tasks tasks, ApplicationEventPublisher events, PatientSearch search) {
		this.search = search;
		this.jdbc = jdbc;
		this.tasks = tasks;
		this.events = events;
	}

	/** An incoming call rings: the branch's admins should see who it is. */
	public record CallRinging(long call, @Nullable Long branch, @Nullable String caller, @Nullable Long patient) {
	}

	/** An incoming call ended unanswered. */
	public record CallMissed(long call, @Nullable Long branch, @Nullable String caller, @Nullable Long patient,
			Instant at) {
	}

	/**
	 * An incoming call reached the clinic (reported once, when its first event arrives),
	 * with the ad source and campaign of the line it rang on: the leads work turns a
	 * stranger's call into a lead.
	 */
	public record CallReceived(long call, @Nullable Long branch, @Nullable String caller, @Nullable Long patient,
			@Nullable Long source, @Nullable String campaign, Instant at) {
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
				insert into call as c (vendor, vendor_call_id, direction, caller, called, started_at)
				values (:vendor, :call, :direction, :caller, :called, :at)
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
			.query((rs, n) -> new Locked(new Row(rs.getLong("id"), rs.getString("direction"), rs.getString("caller"),
					rs.getString("called"), rs.getString("line"), (Long) rs.getObject("branch_id"),
					rs.getString("employee"), rs.getObject("started_at", OffsetDateTime.class),
					rs.getObject("answered_at", OffsetDateTime.class), rs.getObject("ended_at", OffsetDateTime.class),
					rs.getString("recording_url"), (Long) rs.getObject("patient_id"), (Long) rs.getObject("source_id"),
					rs.getString("campaign"), rs.getString("status")), rs.getBoolean("created")))
			.single();
		boolean created = locked.created();
		// A call just inserted holds this event's numbers already: read it as if empty.
		Row before = created ? new Row(locked.row().id(), locked.row().direction(), null, null, null, null, null,
				locked.row().startedAt(), null, null, null, null, null, null, "RINGING") : locked.row();
		boolean fresh = this.jdbc.sql("""
				insert into call_event (vendor, event_id, call_id, kind, at) values (:vendor, :event, :id, :kind, :at)
				on conflict do nothing
				""")
			.param("vendor", event.vendor())
			.param("event", event.eventId())
			.param("id", before.id())
			.param("kind", event.kind().name())
			.param("at", utc(event.at()))
			.update() == 1;
		if (!fresh) {
			return new Applied(before.id(), false, before.status());
		}
		// A recording's notice may come before the call's own events: it knows neither
		// the
		// direction nor the numbers, so the first real event decides them and is the one
		// that tells the reception and the leads of the call.
		boolean recording = event.kind() == CallEvent.Kind.RECORDING;
		boolean first = !recording && (created || onlyRecordings(before.id(), event.eventId()));
		String direction = first ? event.direction().name() : before.direction();
		OffsetDateTime at = utc(event.at());
		OffsetDateTime started = min(before.startedAt(), at);
		OffsetDateTime answered = event.kind() == CallEvent.Kind.ANSWERED ? min(before.answeredAt(), at)
				: before.answeredAt();
		OffsetDateTime ended = event.kind() == CallEvent.Kind.ENDED || event.kind() == CallEvent.Kind.MISSED
				? max(before.endedAt(), at) : before.endedAt();
		String employee = event.kind() == CallEvent.Kind.ANSWERED && event.employee() != null ? event.employee()
				: before.answeredAt() == null && before.employee() == null ? event.employee() : before.employee();
		String theirs = first(before.caller(), caller);
		String ours = first(before.called(), called);
		if ("OUT".equals(direction)) {
			String swap = theirs;
			theirs = ours;
			ours = swap;
		}
		String line = first(before.line(), ours);
		Line known = before.line() == null && line != null ? line(line).orElse(null) : null;
		// The card is looked up once, when the other party's number first becomes known.
		boolean learned = before.caller() == null && "IN".equals(direction)
				|| before.called() == null && "OUT".equals(direction);
		Long patient = before.patientId() != null || !learned ? before.patientId() : patientOf(theirs);
		this.jdbc
			.sql("""
					update call set direction = :direction, caller = coalesce(caller, :caller), called = coalesce(called, :called), line = :line,
					       branch_id = coalesce(branch_id, :branch), source_id = coalesce(source_id, :source),
					       campaign = coalesce(campaign, :campaign), employee = :employee, started_at = :started,
					       answered_at = :answered, ended_at = :ended,
					       recording_url = coalesce(:recording, recording_url), patient_id = :patient
					 where id = :id
					""")
			.param("direction", direction)
			.param("caller", caller)
			.param("called", called)
			.param("line", line)
			.param("branch", known == null ? null : known.branchId())
			.param("source", known == null ? null : known.sourceId())
			.param("campaign", known == null ? null : known.campaign())
			.param("employee", employee)
			.param("started", started)
			.param("answered", answered)
			.param("ended", ended)
			.param("recording", event.kind() == CallEvent.Kind.RECORDING ? event.recordingUrl() : null)
			.param("patient", patient)
			.param("id", before.id())
			.update();
		String status = answered != null ? "ANSWERED" : ended != null ? "MISSED" : "RINGING";
		Long branch = before.branchId() != null ? before.branchId() : known == null ? null : known.branchId();
		boolean incoming = "IN".equals(direction);
		if (first && incoming && "RINGING".equals(status)) {
			this.events.publishEvent(new CallRinging(before.id(), branch, theirs, patient));
			// Every node's open screens hear of it the moment this commits.
			this.jdbc.sql("select pg_notify('klinika_calls', :payload)")
				.param("payload", (branch == null ? 0 : branch) + ":" + before.id())
				.query(String.class)
				.optional();
		}
		if (first && incoming) {
			this.events.publishEvent(
					new CallReceived(before.id(), branch, theirs, patient, known == null ? null : known.sourceId(),
							known == null ? null : known.campaign(), started.toInstant()));
		}
		if ("ANSWERED".equals(status) && !"ANSWERED".equals(before.status())) {
			this.events
				.publishEvent(new CallAnswered(before.id(), direction, theirs, login(employee), answered.toInstant()));
		}
		if (incoming && "MISSED".equals(status) && !"MISSED".equals(before.status())) {
			this.events.publishEvent(new CallMissed(before.id(), branch, theirs, patient, ended.toInstant()));
		}
		if ("ANSWERED".equals(status) && !"ANSWERED".equals(before.status()) && theirs != null) {
			calledBack(theirs, before.id());
		}
		return new Applied(before.id(), true, status);
	}

	private boolean onlyRecordings(long call, String except) {
		return !this.jdbc
			.sql("""
					select exists (select 1 from call_event where call_id = :call and kind <> 'RECORDING' and event_id <> :except)
					""")
			.param("call", call)
			.param("except", except)
			.query(Boolean.class)
			.single();
	}

	/**
	 * The caller got through (or we got through to them): their missed calls are handled
	 * and the callbacks done.
	 */
	private void calledBack(String number, long answered) {
		List<Long> missed = this.jdbc.sql("""
				update call set handled_at = now(), handled_by = 'callback'
				 where handled_at is null and answered_at is null and ended_at is not null and direction = 'IN'
				   and caller = :number and id <> :answered
				returning id
				""").param("number", number).param("answered", answered).query(Long.class).list();
		// A missed call that turns out answered (its events came out of order) is no
		// callback either.
		List<Long> all = new java.util.ArrayList<>(missed);
		all.add(answered);
		this.tasks.closeByCause("call", all, "дозвонились");
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

	private static OffsetDateTime min(@Nullable OffsetDateTime current, OffsetDateTime at) {
		return current == null || at.isBefore(current) ? at : current;
	}

	private static OffsetDateTime max(@Nullable OffsetDateTime current, OffsetDateTime at) {
		return current == null || at.isAfter(current) ? at : current;
	}

	static OffsetDateTime utc(Instant at) {
		return at.atOffset(ZoneOffset.UTC);
	}

}
