package dev.klinika.scheduling;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Short holds on a time while a patient fills the online booking form: nobody else is
 * offered or can book that time until the hold expires or turns into the appointment.
 * Holds are rows, so every node sees them; expired ones are ignored and swept.
 */
@Component
class SlotHolds {

	/** How long a chosen time is kept for the patient filling the form. */
	public static final Duration HOLD = Duration.ofMinutes(7);

	/**
	 * How long a chosen time is kept for a patient gone to pay the prepayment: unpaid by
	 * then, it is free again.
	 */
	public static final Duration PAYMENT_HOLD = Duration.ofMinutes(15);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final Clock clock;

	SlotHolds(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Holds the time, or answers {@code null} when someone else holds any of it already.
	 */
	@Transactional
	public @Nullable String hold(long staffId, TimeSpan time) {
		Instant now = this.clock.instant();
		this.jdbc.sql("delete from slot_hold where expires_at < :now").param("now", utc(now)).update();
		// One hold at a time per staff member: the lock makes the check and the insert
		// one step.
		this.jdbc.sql("select pg_advisory_xact_lock(4242, :staff::int)").param("staff", staffId).query().listOfRows();
		if (heldByOthers(staffId, time, null)) {
			return null;
		}
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		String token = HexFormat.of().formatHex(bytes);
		this.jdbc.sql("""
				insert into slot_hold (token, staff_id, during, expires_at)
				values (:token, :staff, tstzrange(:start, :end, '[)'), :expires)
				""")
			.param("token", token)
			.param("staff", staffId)
			.param("start", utc(time.start()))
			.param("end", utc(time.end()))
			.param("expires", utc(now.plus(HOLD)))
			.update();
		return token;
	}

	/** Whether a live hold other than {@code token} covers any of the time. */
	public boolean heldByOthers(long staffId, TimeSpan time, @Nullable String token) {
		return this.jdbc.sql("""
				select count(*) > 0 from slot_hold
				 where staff_id = :staff and during && tstzrange(:start, :end, '[)') and expires_at > :now
				   and token is distinct from :token
				""")
			.param("staff", staffId)
			.param("start", utc(time.start()))
			.param("end", utc(time.end()))
			.param("now", utc(this.clock.instant()))
			.param("token", ours(token))
			.query(Boolean.class)
			.single();
	}

	/**
	 * Keeps a live hold for longer (while its patient pays for the time); {@code false}
	 * when the hold has expired or is unknown.
	 */
	@Transactional
	public boolean extend(String token, Duration forHowLong) {
		Instant now = this.clock.instant();
		return this.jdbc
			.sql("""
					update slot_hold set expires_at = greatest(expires_at, :until) where token = :token and expires_at > :now
					""")
			.param("until", utc(now.plus(forHowLong)))
			.param("token", ours(token))
			.param("now", utc(now))
			.update() == 1;
	}

	public void release(String token) {
		this.jdbc.sql("delete from slot_hold where token = :token").param("token", ours(token)).update();
	}

	/**
	 * A token as this class makes them (hex), or none: whatever else a caller sends
	 * (control characters, megabytes) matches no hold and never reaches the database.
	 */
	private static @Nullable String ours(@Nullable String token) {
		return token != null && token.length() <= 128 && token.matches("[0-9a-f]+") ? token : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
