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
public class CalendarFeeds {

	/** How far back and ahead the feed reaches. */
	static final Duration BACK = Duration.ofDays(7);

	static final Duration AHEAD = Duration.ofDays(60);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final Clock clock;

	CalendarFeeds(JdbcClient jdbc, AuditLog audit, Clock clock) {
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
		return this.jdbc.sql("""
				select a.id, lower(a.during) as s, upper(a.during) as e, sv.name as service,
				       st.surname || ' ' || st.name as staff, b.name as branch, b.address
				  from appointment a join service sv on sv.id = a.service_id join staff st on st.id = a.staff_id
				  join branch b on b.id = a.branch_id
				 where a.public_code = :code and a.status <> 'CANCELLED'
				""").param("code", code).query((rs, n) -> {
			Calendar calendar = newCalendar();
			VEvent event = new VEvent(rs.getObject("s", OffsetDateTime.class).toInstant(),
					rs.getObject("e", OffsetDateTime.class).toInstant(),
					rs.getString("service") + " — " + rs.getString("staff"));
			event.add(new Uid("appointment-" + rs.getLong("id") + "@klinika"));
			event.add(new net.fortuna.ical4j.model.property.Location(
					rs.getString("branch") + ", " + rs.getString("address")));
			calendar.add(event);
			return write(calendar);
		}).optional();
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
		return out.toString();
	}

	private String render(long staffId) {
		Calendar calendar = newCalendar();
		Instant now = this.clock.instant();
		this.jdbc.sql("""
				select a.id, lower(a.during) as s, upper(a.during) as e, a.status,
				       p.surname || ' ' || left(p.name, 1) || '.' as patient, sv.name as service
				  from appointment a join patient p on p.id = a.patient_id join service sv on sv.id = a.service_id
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
				event.add(new Status("BOOKED".equals(rs.getString("status")) ? "TENTATIVE" : "CONFIRMED"));
				calendar.add(event);
			});
		return write(calendar);
	}

}
