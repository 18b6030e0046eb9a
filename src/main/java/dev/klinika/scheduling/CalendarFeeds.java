package dev.klinika.scheduling;

import java.io.IOException;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;

/**
 * A staff member's appointments as an iCalendar feed at a secret address, for Google,
 * Apple and Outlook calendars. The feed shows a patient's surname and initial only, and a
 * new address makes the old one stop working.
 */
@Service
@Transactional
class CalendarFeeds {

	/** How far back and ahead the feed reaches. */
	static final Duration BACK = Duration.ofDays(7);

	static final Duration AHEAD = Duration.ofDays(60);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final Clock clock;

	private final org.springframework.context.MessageSource messages;

	/** Feeds are read by calendar programs, not people with a language setting. */
	private static final java.util.Locale FEED_LANGUAGE = java.util.Locale.forLanguageTag("ru");

	CalendarFeeds(JdbcClient jdbc, AuditLog audit, Clock clock, org.springframework.context.MessageSource messages) {
		this.messages = messages;
		this.jdbc = jdbc;
		this.audit = audit;
		this.clock = clock;
	}

	/** The staff member's secret token, made on first use. */
	public String tokenFor(long staffId) {
		return this.jdbc.sql("select token from staff_calendar where staff_id = :id")
			.param("id", staffId)
			.query(String.class)
			.optional()
			.orElseGet(() -> rotate(staffId));
	}

	/** A new token; the old address stops working at once. */
	public String rotate(long staffId) {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.jdbc.sql("""
				insert into staff_calendar (staff_id, token) values (:id, :token)
				on conflict (staff_id) do update set token = excluded.token, created_at = now()
				""").param("id", staffId).param("token", token).update();
		this.audit.record("CALENDAR_LINK_CREATED", "staff", staffId, null);
		return token;
	}

	/** The feed for a token, if the token is live. */
	@Transactional(readOnly = true)
	public Optional<String> feed(String token) {
		if (!token.matches("[A-Za-z0-9_-]{20,64}")) {
			return Optional.empty();
		}
		Optional<Long> staff = this.jdbc.sql("select staff_id from staff_calendar where token = :token")
			.param("token", token)
			.query(Long.class)
			.optional();
		return staff.map(this::render);
	}

	/**
	 * The patient's own visit as a calendar file, by the secret code of its online
	 * booking: what, with whom, where.
	 */
	@Transactional(readOnly = true)
	public Optional<String> visit(String code) {
		return this.jdbc
			.sql("""
					select a.id, lower(a.during) as s, upper(a.during) as e, a.changed_at, a.version, sv.name as service,
					       st.short_name as staff, b.name as branch, b.address
					  from appointment a join catalog_service_v sv on sv.id = a.service_id join organization_staff_v st on st.id = a.staff_id
					  join organization_branch_v b on b.id = a.branch_id
					 where a.public_code = :code and a.status <> 'CANCELLED'
					""")
			.param("code", code)
			.query((rs, n) -> {
				Calendar calendar = newCalendar();
				VEvent event = new VEvent(rs.getObject("s", OffsetDateTime.class).toInstant(),
						rs.getObject("e", OffsetDateTime.class).toInstant(),
						rs.getString("service") + " — " + rs.getString("staff"));
				event.add(new Uid("appointment-" + rs.getLong("id") + "@klinika"));
				stamp(event, rs.getObject("changed_at", OffsetDateTime.class).toInstant(), rs.getInt("version"));
				event.add(new net.fortuna.ical4j.model.property.Location(
						rs.getString("branch") + ", " + rs.getString("address")));
				calendar.add(event);
				return write(calendar);
			})
			.optional();
	}

	/**
	 * RFC 5545 has three event states: a booked visit is tentative, a no-show's time was
	 * given up (cancelled), every other one holds.
	 */
	static String status(AppointmentStatus status) {
		return switch (status) {
			case BOOKED -> "TENTATIVE";
			case NO_SHOW, CANCELLED -> "CANCELLED";
			default -> "CONFIRMED";
		};
	}

	/**
	 * DTSTAMP is the event's last change, not the time of the fetch: a subscriber's
	 * calendar then sees only the events that changed.
	 */
	private static void stamp(VEvent event, Instant changed, int version) {
		event.getProperty(net.fortuna.ical4j.model.Property.DTSTAMP).ifPresent(event::remove);
		event.add(new net.fortuna.ical4j.model.property.DtStamp(changed));
		event.add(new net.fortuna.ical4j.model.property.LastModified(changed));
		event.add(new net.fortuna.ical4j.model.property.Sequence(version));
	}

	private static Calendar newCalendar() {
		Calendar calendar = new Calendar();
		calendar.add(new ProdId("-//Klinika//Schedule//RU"));
		calendar.add(ImmutableVersion.VERSION_2_0);
		calendar.add(ImmutableCalScale.GREGORIAN);
		return calendar;
	}

	private static String write(Calendar calendar) {
		StringWriter out = new StringWriter();
		try {
			new CalendarOutputter(false).output(calendar, out);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return fold(out.toString());
	}

	/**
	 * Lines of at most 75 octets (RFC 5545 §3.1): longer ones go on in lines that start
	 * with a space, never inside a UTF-8 character (a Cyrillic letter is two octets).
	 */
	static String fold(String ics) {
		String unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
		StringBuilder folded = new StringBuilder(unfolded.length() + unfolded.length() / 30);
		for (String line : unfolded.split("\r\n")) {
			int octets = 0;
			int limit = 75;
			for (int i = 0; i < line.length();) {
				int codePoint = line.codePointAt(i);
				int size = new String(Character.toChars(codePoint))
					.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
				if (octets + size > limit) {
					folded.append("\r\n ");
					octets = 1;
				}
				folded.appendCodePoint(codePoint);
				octets += size;
				i += Character.charCount(codePoint);
			}
			folded.append("\r\n");
		}
		return folded.toString();
	}

	private String render(long staffId) {
		Calendar calendar = newCalendar();
		Instant now = this.clock.instant();
		this.jdbc
			.sql("""
					select a.id, lower(a.during) as s, upper(a.during) as e, a.status, a.changed_at, a.version,
					       p.initial as patient, sv.name as service
					  from appointment a join patients_card_v p on p.id = a.patient_id join catalog_service_v sv on sv.id = a.service_id
					 where a.staff_id = :staff and a.status <> 'CANCELLED' and a.during && tstzrange(:from, :to, '[)')
					 order by lower(a.during)
					""")
			.param("staff", staffId)
			.param("from", OffsetDateTime.ofInstant(now.minus(BACK), ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(now.plus(AHEAD), ZoneOffset.UTC))
			.query(rs -> {
				VEvent event = new VEvent(rs.getObject("s", OffsetDateTime.class).toInstant(),
						rs.getObject("e", OffsetDateTime.class).toInstant(),
						rs.getString("patient") + " — " + rs.getString("service"));
				event.add(new Uid("appointment-" + rs.getLong("id") + "@klinika"));
				stamp(event, rs.getObject("changed_at", OffsetDateTime.class).toInstant(), rs.getInt("version"));
				AppointmentStatus status = AppointmentStatus.valueOf(rs.getString("status"));
				event.add(new Status(status(status)));
				event.add(new net.fortuna.ical4j.model.property.Description(this.messages
					.getMessage("appointment.status." + status.name(), null, status.name(), FEED_LANGUAGE)));
				calendar.add(event);
			});
		return write(calendar);
	}

}
