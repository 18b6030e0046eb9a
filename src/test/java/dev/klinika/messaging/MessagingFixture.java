package dev.klinika.messaging;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;

/** A branch of its own, patients with chosen contacts, and visits at chosen times. */
final class MessagingFixture {

	static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

	final OwnClinicAccess.Ids clinic;

	private final JdbcClient jdbc;

	private final Booking booking;

	MessagingFixture(JdbcClient jdbc, WorkPatterns patterns, Booking booking) {
		this.jdbc = jdbc;
		this.booking = booking;
		this.clinic = OwnClinicAccess.create(jdbc, patterns);
	}

	/** A patient with a phone (main) and an email, either may be null. */
	long patient(@Nullable String phone, @Nullable String email, @Nullable String zone) {
		long id = this.jdbc.sql("""
				insert into patient (surname, name, patronymic, email, time_zone, home_branch_id)
				values (:surname, 'Мария', 'Петровна', :email, :zone, :branch) returning id
				""")
			.param("surname", "Сообщенская" + UUID.randomUUID().toString().substring(0, 6))
			.param("email", email)
			.param("zone", zone)
			.param("branch", this.clinic.branch())
			.query(Long.class)
			.single();
		if (phone != null) {
			this.jdbc.sql("insert into patient_phone (patient_id, number, main) values (:id, :number, true)")
				.param("id", id)
				.param("number", phone)
				.update();
		}
		return id;
	}

	/** A unique mobile number, so that tests never match each other's patients. */
	static String mobile() {
		return "+7916" + String.format("%07d", (long) (Math.random() * 9_999_999));
	}

	/** Books a plain visit at a weekday and time some weeks ahead, branch time. */
	/** A visit booked, with its reminders planned (they are planned once it commits). */
	Appointment visit(long patient, int weeks, DayOfWeek day, int hour, int minute) {
		Appointment visit = this.booking.book(new Booking.Request(patient, this.clinic.plainService(),
				this.clinic.first(), this.clinic.branch(), at(weeks, day, hour, minute), null));
		settled(this.jdbc);
		return visit;
	}

	static Instant at(int weeks, DayOfWeek day, int hour, int minute) {
		return LocalDate.now(MOSCOW)
			.plusWeeks(weeks)
			.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
			.with(TemporalAdjusters.nextOrSame(day))
			.atTime(hour, minute)
			.atZone(MOSCOW)
			.toInstant();
	}

	/** The messages of an appointment by event: status, due time, channel, error. */
	record Row(String key, String event, String status, Instant due, @Nullable String channel, @Nullable String error,
			String body) {
	}

	java.util.List<Row> messages(long appointment) {
		settled(this.jdbc);
		return this.jdbc.sql("""
				select idempotency_key, event, status, due_at, channel, error, body from outbox_message
				 where appointment_id = :a order by due_at, id
				""")
			.param("a", appointment)
			.query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
					rs.getObject(4, java.time.OffsetDateTime.class).toInstant(), rs.getString(5), rs.getString(6),
					rs.getString(7)))
			.list();
	}

	/**
	 * Waits until messaging's listeners have taken the events of the last minute: they
	 * run after the publishing transaction commits.
	 */
	static void settled(JdbcClient jdbc) {
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(15))
			.pollInterval(java.time.Duration.ofMillis(20))
			.until(() -> jdbc.sql("""
					select count(*) = 0 from event_publication where completion_date is null
					   and status is distinct from 'FAILED' and listener_id like 'dev.klinika.messaging.%'
					   and publication_date > now() - interval '1 minute'
					""").query(Boolean.class).single());
	}

}
