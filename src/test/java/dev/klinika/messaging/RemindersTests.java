package dev.klinika.messaging;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaTest;
import dev.klinika.patients.ConsentChannel;
import dev.klinika.patients.ConsentKind;
import dev.klinika.patients.Consents;
import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.WorkPatterns;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reminders planned once the booking commits, at the clinic's offsets, kept out of quiet
 * hours in the patient's zone, re-planned by a move, withdrawn by a cancellation, and
 * skipped with a reason when nobody can be reached.
 */
@KlinikaTest
class RemindersTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	Reminders reminders;

	MessagingFixture fixture;

	@BeforeEach
	void clinic() {
		this.fixture = new MessagingFixture(this.jdbc, this.patterns, this.booking);
	}

	@Test
	void aBookingWritesTheDayBeforeAndTwoHoursBeforeRemindersOnceItCommits() {
		long patient = this.fixture.patient(MessagingFixture.mobile(), null, null);
		Appointment visit = this.fixture.visit(patient, 3, DayOfWeek.WEDNESDAY, 14, 0);
		List<MessagingFixture.Row> rows = this.fixture.messages(visit.id())
			.stream()
			.filter(row -> row.event().equals("REMINDER"))
			.toList();
		Instant start = visit.time().start();
		Instant dayBefore = start.atZone(MessagingFixture.MOSCOW)
			.toLocalDate()
			.minusDays(1)
			.atTime(12, 0)
			.atZone(MessagingFixture.MOSCOW)
			.toInstant();
		assertThat(rows).extracting(MessagingFixture.Row::due)
			.containsExactly(dayBefore, start.minus(Duration.ofHours(2)));
		assertThat(rows).allSatisfy(row -> {
			assertThat(row.status()).isEqualTo("PENDING");
			assertThat(row.channel()).isEqualTo("SMS");
			assertThat(row.body()).contains("Мария Петровна").contains("14:00").contains("/m/" + visit.id() + ".");
		});
		// The acknowledgement of the booking goes now (the sandbox may have sent it
		// already).
		assertThat(this.fixture.messages(visit.id())).filteredOn(row -> row.event().equals("BOOKED")).hasSize(1);
		// Planning again writes nothing: the keys are taken.
		assertThat(this.reminders.plan(List.of(visit.id()), true)).isZero();
	}

	@Autowired
	org.springframework.modulith.events.IncompleteEventPublications incomplete;

	@Test
	void aMessagingFailureRefusesNoBookingAndItsRemindersComeWithTheRetry() {
		long patient = this.fixture.patient(MessagingFixture.mobile(), null, null);
		// Messaging's outbox refuses this patient's rows: planning the reminders fails.
		String refusal = "test_refuses_" + patient;
		this.jdbc
			.sql("alter table outbox_message add constraint " + refusal + " check (patient_id <> " + patient
					+ ") not valid")
			.update();
		Appointment visit;
		try {
			visit = this.fixture.visit(patient, 5, DayOfWeek.TUESDAY, 10, 0);
			assertThat(this.jdbc.sql("select status from appointment where id = :id")
				.param("id", visit.id())
				.query(String.class)
				.single()).as("the booking stands").isEqualTo("BOOKED");
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(15))
				.until(() -> failedPublications(visit.id()) == 1);
			assertThat(this.jdbc.sql("select count(*) from outbox_message where appointment_id = :id")
				.param("id", visit.id())
				.query(Integer.class)
				.single()).as("nothing half-written").isZero();
		}
		finally {
			this.jdbc.sql("alter table outbox_message drop constraint " + refusal).update();
		}
		// The retry (the job does this once a minute for what has waited two) delivers it
		// again, and the reminders are there.
		this.incomplete.resubmitIncompletePublications(publication -> publication.getEvent()
			.equals(new dev.klinika.scheduling.AppointmentEvents.AppointmentBooked(visit.id(), patient, visit.staffId(),
					visit.branchId(), visit.serviceId(), visit.time().start())));
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.until(() -> this.fixture.messages(visit.id())
				.stream()
				.filter(row -> row.event().equals("REMINDER"))
				.count() == 2);
		assertThat(failedPublications(visit.id())).isZero();
		assertThat(this.fixture.messages(visit.id())).filteredOn(row -> row.event().equals("REMINDER"))
			.allSatisfy(row -> assertThat(row.status()).isEqualTo("PENDING"));
	}

	private int failedPublications(long appointment) {
		return this.jdbc.sql("""
				select count(*) from event_publication where completion_date is null and status = 'FAILED'
				   and listener_id like 'dev.klinika.messaging.Reminders.%' and serialized_event like :event
				""").param("event", "%\"appointment\":" + appointment + ",%").query(Integer.class).single();
	}

	@Test
	void aMoveTakesTheOldRemindersBackAndPlansTheNewTimeAndMovingBackRevivesThem() {
		long patient = this.fixture.patient(MessagingFixture.mobile(), null, null);
		Appointment visit = this.fixture.visit(patient, 3, DayOfWeek.THURSDAY, 15, 0);
		Instant first = visit.time().start();
		Appointment moved = this.booking.move(visit.id(), first.plus(Duration.ofDays(1)), this.fixture.clinic.first());
		List<MessagingFixture.Row> rows = this.fixture.messages(visit.id());
		assertThat(rows).filteredOn(row -> row.event().equals("REMINDER") && row.status().equals("WITHDRAWN"))
			.hasSize(2)
			.allSatisfy(row -> assertThat(row.key()).endsWith(":" + first.getEpochSecond()));
		assertThat(rows).filteredOn(row -> row.event().equals("REMINDER") && row.status().equals("PENDING"))
			.hasSize(2)
			.allSatisfy(row -> assertThat(row.key()).endsWith(":" + moved.time().start().getEpochSecond()));
		this.booking.move(visit.id(), first, this.fixture.clinic.first());
		assertThat(this.fixture.messages(visit.id()))
			.filteredOn(row -> row.event().equals("REMINDER") && row.status().equals("PENDING"))
			.extracting(MessagingFixture.Row::key)
			.allSatisfy(key -> assertThat(key).endsWith(":" + first.getEpochSecond()))
			.hasSize(2);
	}

	@Test
	void aCancellationWithdrawsWhatIsNotOutYet() {
		long patient = this.fixture.patient(MessagingFixture.mobile(), null, null);
		Appointment visit = this.fixture.visit(patient, 3, DayOfWeek.FRIDAY, 11, 0);
		this.lifecycle.cancel(visit.id(), "PATIENT_ASKED");
		assertThat(this.fixture.messages(visit.id())).filteredOn(row -> row.event().equals("REMINDER"))
			.hasSize(2)
			.allSatisfy(row -> assertThat(row.status()).isEqualTo("WITHDRAWN"));
	}

	@Test
	void nobodyToReachIsSkippedWithTheReasonNotDropped() {
		long landline = this.fixture.patient("+74951234567", null, null);
		long nothing = this.fixture.patient(null, null, null);
		long stopped = this.fixture.patient(MessagingFixture.mobile(), null, null);
		this.jdbc.sql("insert into message_opt_out (patient_id, scope, via) values (:p, 'ALL', 'TEST')")
			.param("p", stopped)
			.update();
		Appointment a = this.fixture.visit(landline, 4, DayOfWeek.MONDAY, 10, 0);
		Appointment b = this.fixture.visit(nothing, 4, DayOfWeek.MONDAY, 11, 0);
		Appointment c = this.fixture.visit(stopped, 4, DayOfWeek.MONDAY, 12, 0);
		assertThat(this.fixture.messages(a.id())).isNotEmpty()
			.allSatisfy(row -> assertThat(row.error()).isEqualTo("LANDLINE"));
		assertThat(this.fixture.messages(b.id())).isNotEmpty()
			.allSatisfy(row -> assertThat(row.error()).isEqualTo("NO_CONTACT"));
		assertThat(this.fixture.messages(c.id())).isNotEmpty()
			.allSatisfy(row -> assertThat(row.status()).isEqualTo("SKIPPED"))
			.allSatisfy(row -> assertThat(row.error()).isEqualTo("OPTED_OUT"));
	}

	@Autowired
	Composer composer;

	@Autowired
	Consents consents;

	@Autowired
	MessageTemplates templates;

	@Test
	void marketingNeedsAConsentAndStopsAtAStopWhileServiceMessagesGoOn() {
		long patient = this.fixture.patient(MessagingFixture.mobile(), null, null);
		Instant now = Instant.now();
		var context = this.composer.context(new MessagingPolicy.Policy(LocalTime.of(23, 59), LocalTime.of(23, 59),
				List.of(ChannelKind.SMS), "ru", true, 0), this.templates.byKey(), now);
		var contact = this.composer.contacts(List.of(patient)).get(patient);
		assertThat(this.composer
			.compose(context, contact, null, "THANK_YOU_FIRST_VISIT", Purpose.MARKETING, "m1", now, null,
					java.util.Set.of())
			.error()).isEqualTo("NO_CONSENT");
		this.consents.give(patient, ConsentKind.MARKETING, now.minusSeconds(60), ConsentChannel.PAPER, "анкета");
		contact = this.composer.contacts(List.of(patient)).get(patient);
		assertThat(this.composer
			.compose(context, contact, null, "THANK_YOU_FIRST_VISIT", Purpose.MARKETING, "m2", now, null,
					java.util.Set.of())
			.status()).isEqualTo(MessageStatus.PENDING);
		this.jdbc.sql("insert into message_opt_out (patient_id, scope, via) values (:p, 'MARKETING', 'TEST')")
			.param("p", patient)
			.update();
		contact = this.composer.contacts(List.of(patient)).get(patient);
		assertThat(this.composer
			.compose(context, contact, null, "THANK_YOU_FIRST_VISIT", Purpose.MARKETING, "m3", now, null,
					java.util.Set.of())
			.error()).isEqualTo("OPTED_OUT");
		assertThat(this.composer
			.compose(context, contact, null, "THANK_YOU_FIRST_VISIT", Purpose.SERVICE, "m4", now, null,
					java.util.Set.of())
			.status()).isEqualTo(MessageStatus.PENDING);
	}

	@Test
	void aFirstVisitCompletedGetsOneThankYouAndAReplayedOldVisitNone() {
		long patient = this.fixture.patient(MessagingFixture.mobile(), null, null);
		Appointment visit = this.fixture.visit(patient, 3, DayOfWeek.MONDAY, 17, 0);
		this.lifecycle.checkIn(visit.id());
		this.lifecycle.complete(visit.id());
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.fixture.messages(visit.id())
				.stream()
				.anyMatch(row -> row.event().equals("THANK_YOU_FIRST_VISIT")));
		assertThat(this.fixture.messages(visit.id())).filteredOn(row -> row.event().equals("THANK_YOU_FIRST_VISIT"))
			.singleElement()
			.satisfies(row -> assertThat(row.body()).contains("Мария Петровна"));
		// The same request again (a redelivered event) writes nothing new; one for a
		// visit of last month writes nothing at all.
		request(new dev.klinika.tasks.Automation.PatientMessageRequested(patient, "THANK_YOU_FIRST_VISIT",
				"appointment:" + visit.id()));
		assertThat(this.fixture.messages(visit.id())).filteredOn(row -> row.event().equals("THANK_YOU_FIRST_VISIT"))
			.hasSize(1);
		long old = this.jdbc
			.sql("""
					select id from appointment where lower(during) < now() - interval '20 days' and status = 'COMPLETED' limit 1
					""")
			.query(Long.class)
			.single();
		request(new dev.klinika.tasks.Automation.PatientMessageRequested(patient, "THANK_YOU_FIRST_VISIT",
				"appointment:" + old));
		assertThat(this.fixture.messages(old)).filteredOn(row -> row.event().equals("THANK_YOU_FIRST_VISIT")).isEmpty();
	}

	@Autowired
	org.springframework.context.ApplicationEventPublisher events;

	@Autowired
	org.springframework.transaction.PlatformTransactionManager transactions;

	/**
	 * A request as a rule makes it: published in a transaction, taken after its commit.
	 */
	private void request(Object event) {
		new org.springframework.transaction.support.TransactionTemplate(this.transactions)
			.executeWithoutResult(status -> this.events.publishEvent(event));
	}

	@Test
	void anEmailOnlyPatientGetsEmailWithASubject() {
		long patient = this.fixture.patient(null, "maria@example.org", null);
		Appointment visit = this.fixture.visit(patient, 4, DayOfWeek.TUESDAY, 16, 0);
		assertThat(this.fixture.messages(visit.id())).filteredOn(row -> row.event().equals("REMINDER"))
			.hasSize(2)
			.allSatisfy(row -> assertThat(row.channel()).isEqualTo("EMAIL"));
		assertThat(this.jdbc.sql("select subject from outbox_message where appointment_id = :a and event = 'REMINDER'")
			.param("a", visit.id())
			.query(String.class)
			.list()).allSatisfy(subject -> assertThat(subject).startsWith("Напоминание о записи"));
	}

	@Test
	void anEarlyVisitMovesTheTwoHourReminderToTheEndOfTheQuietHoursInThePatientsZone() {
		// A patient in Novosibirsk (+7) visiting a Moscow branch at 13:30 Moscow time:
		// 11:30 Moscow is 15:30 for them, fine; at 09:30 Moscow the reminder would be
		// 07:30 Moscow = 11:30 Novosibirsk, fine too. The Moscow patient at 09:30 is
		// moved.
		long moscow = this.fixture.patient(MessagingFixture.mobile(), null, null);
		Appointment early = this.fixture.visit(moscow, 5, DayOfWeek.WEDNESDAY, 9, 30);
		Instant nine = early.time().start().minus(Duration.ofMinutes(30));
		assertThat(this.fixture.messages(early.id())).filteredOn(row -> row.event().equals("REMINDER"))
			.extracting(MessagingFixture.Row::due)
			.contains(nine);
		long novosibirsk = this.fixture.patient(MessagingFixture.mobile(), null, "Asia/Novosibirsk");
		Appointment far = this.fixture.visit(novosibirsk, 5, DayOfWeek.WEDNESDAY, 10, 0);
		assertThat(this.fixture.messages(far.id())).filteredOn(row -> row.event().equals("REMINDER"))
			.extracting(MessagingFixture.Row::due)
			.contains(far.time().start().minus(Duration.ofHours(2)));
	}

	@Test
	void quietHoursGoToTheWindowsEdgeWhileUsefulOtherwiseTheEveningBeforeOrNowhere() {
		MessagingPolicy.Policy policy = new MessagingPolicy.Policy(LocalTime.of(21, 0), LocalTime.of(9, 0),
				List.of(ChannelKind.SMS), "ru", true, 0);
		ZoneId zone = ZoneId.of("Europe/Moscow");
		LocalDate day = LocalDate.now(zone).plusDays(10);
		Instant now = Instant.now();
		// 07:30 for a 09:30 visit: 09:00 is still 30 minutes ahead of it.
		assertThat(Composer.outOfQuietHours(policy, at(day, 7, 30), zone, at(day, 9, 30), now))
			.isEqualTo(at(day, 9, 0));
		// 07:10 for a 09:10 visit: 09:00 is too late; the last minute before 21:00 the
		// day before.
		assertThat(Composer.outOfQuietHours(policy, at(day, 7, 10), zone, at(day, 9, 10), now))
			.isEqualTo(at(day.minusDays(1), 20, 59));
		// 23:00 the day before a 09:10 visit: the evening's edge has passed by then only
		// if
		// now is later; here it is ahead, so it is used.
		assertThat(Composer.outOfQuietHours(policy, at(day.minusDays(1), 23, 0), zone, at(day, 9, 10), now))
			.isEqualTo(at(day.minusDays(1), 20, 59));
		// Not quiet: as due.
		assertThat(Composer.outOfQuietHours(policy, at(day, 12, 0), zone, at(day, 14, 0), now))
			.isEqualTo(at(day, 12, 0));
		// Quiet, the morning too late and the evening already past: nowhere.
		assertThat(Composer.outOfQuietHours(policy, at(day, 7, 10), zone, at(day, 9, 10), at(day, 7, 0))).isNull();
	}

	private static Instant at(LocalDate day, int hour, int minute) {
		return day.atTime(hour, minute).atZone(ZoneId.of("Europe/Moscow")).toInstant();
	}

}
