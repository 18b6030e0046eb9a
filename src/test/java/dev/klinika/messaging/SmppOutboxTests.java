package dev.klinika.messaging;

import java.time.DayOfWeek;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.WorkPatterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox sending through a real SMPP session to an SMSC in the JVM: Cyrillic in UCS-2
 * parts with UDH, delivery receipts matched to messages, throttling retried without a
 * duplicate, a refused number handed to the next channel, and patients' replies in the
 * inbox.
 */
@SpringBootTest
@ActiveProfiles("test")
class SmppOutboxTests {

	static final SmscSimulator smsc;

	static {
		try {
			smsc = new SmscSimulator();
		}
		catch (Exception ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void smpp(DynamicPropertyRegistry registry) {
		registry.add("klinika.messaging.smpp.host", () -> "127.0.0.1");
		registry.add("klinika.messaging.smpp.port", smsc::port);
		registry.add("klinika.messaging.smpp.system-id", () -> "klinika");
		registry.add("klinika.messaging.smpp.password", () -> "secret");
		registry.add("klinika.messaging.smpp.rate-per-second", () -> 500);
		registry.add("klinika.messaging.retry-base", () -> "PT0.2S");
	}

	@AfterAll
	static void stop() throws Exception {
		smsc.close();
	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Booking booking;

	MessagingFixture fixture;

	private java.util.Map<String, Object> quietHours;

	@BeforeEach
	void clinic() {
		this.fixture = new MessagingFixture(this.jdbc, this.patterns, this.booking);
		smsc.throttle(submit -> false);
		// The confirmations go at once at whatever hour the build runs: no quiet hours
		// (21:00–09:00 by default would hold them till the morning).
		this.quietHours = this.jdbc.sql("select quiet_from, quiet_to from messaging_policy where id = 1")
			.query()
			.singleRow();
		this.jdbc.sql("update messaging_policy set quiet_from = '00:00', quiet_to = '00:00' where id = 1").update();
	}

	@org.junit.jupiter.api.AfterEach
	void quietHoursBack() {
		this.jdbc.sql("update messaging_policy set quiet_from = :f, quiet_to = :t where id = 1")
			.param("f", this.quietHours.get("quiet_from"))
			.param("t", this.quietHours.get("quiet_to"))
			.update();
	}

	@Test
	void aReminderReachesTheSmscInUcs2PartsAndItsReceiptMarksItDelivered() {
		String phone = MessagingFixture.mobile();
		long patient = this.fixture.patient(phone, null, null);
		Appointment visit = this.fixture.visit(patient, 3, DayOfWeek.MONDAY, 14, 0);
		dueNow(visit, "REMINDER");
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.fixture.messages(visit.id())
				.stream()
				.filter(row -> row.event().equals("REMINDER"))
				.allMatch(row -> row.status().equals("DELIVERED")));
		List<SmscSimulator.Received> parts = received(phone);
		String body = this.fixture.messages(visit.id())
			.stream()
			.filter(row -> row.event().equals("REMINDER"))
			.findFirst()
			.orElseThrow()
			.body();
		int segments = SmsText.count(body).segments();
		assertThat(segments).isGreaterThan(1);
		// Two reminders and the booking's acknowledgement, each in its parts.
		assertThat(parts).allSatisfy(part -> assertThat(part.dataCoding() & 0x0F).isEqualTo(0x08));
		assertThat(parts).filteredOn(SmscSimulator.Received::udh).isNotEmpty();
		StringBuilder first = new StringBuilder();
		byte reference = parts.stream().filter(SmscSimulator.Received::udh).findFirst().orElseThrow().payload()[3];
		parts.stream()
			.filter(part -> part.udh() && part.payload()[3] == reference)
			.forEach(part -> first.append(part.text()));
		assertThat(first.toString())
			.isIn(this.fixture.messages(visit.id()).stream().map(MessagingFixture.Row::body).toList());
		assertThat(this.jdbc.sql("""
				select count(*) from outbox_part p join outbox_message m on m.id = p.message_id
				 where m.appointment_id = :a and m.event = 'REMINDER'
				""").param("a", visit.id()).query(Integer.class).single()).isEqualTo(2 * segments);
	}

	@Test
	void aThrottledSubmitIsRetriedAndArrivesOnce() {
		String phone = MessagingFixture.mobile();
		long patient = this.fixture.patient(phone, null, null);
		this.jdbc.sql("insert into message_opt_out (patient_id, scope, via) values (:p, 'MARKETING', 'TEST')")
			.param("p", patient)
			.update();
		int before = smsc.throttled.get();
		java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
		smsc.throttle(submit -> submit.getDestAddress().equals(phone.substring(1)) && refused.getAndIncrement() < 2);
		Appointment visit = this.fixture.visit(patient, 3, DayOfWeek.TUESDAY, 15, 0);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.fixture.messages(visit.id())
				.stream()
				.filter(row -> row.event().equals("BOOKED"))
				.allMatch(row -> row.status().equals("DELIVERED")));
		assertThat(smsc.throttled.get() - before).isEqualTo(2);
		String body = this.fixture.messages(visit.id())
			.stream()
			.filter(row -> row.event().equals("BOOKED"))
			.findFirst()
			.orElseThrow()
			.body();
		assertThat(received(phone)).hasSize(SmsText.count(body).segments());
		assertThat(this.jdbc.sql("select attempts from outbox_message where appointment_id = :a and event = 'BOOKED'")
			.param("a", visit.id())
			.query(Integer.class)
			.single()).isGreaterThan(1);
	}

	@Test
	void aNumberTheSmscRefusesGoesToTheNextChannel() {
		String phone = MessagingFixture.mobile();
		long patient = this.fixture.patient(phone, "refused@example.org", null);
		smsc.throttle(submit -> false);
		Appointment visit;
		try (var refusing = new Refusing(phone)) {
			visit = this.fixture.visit(patient, 3, DayOfWeek.WEDNESDAY, 16, 0);
			await().atMost(Duration.ofSeconds(15))
				.until(() -> this.fixture.messages(visit.id())
					.stream()
					.anyMatch(row -> row.event().equals("BOOKED") && "EMAIL".equals(row.channel())
							&& List.of("SENT", "DELIVERED").contains(row.status())));
		}
		assertThat(this.fixture.messages(visit.id())).filteredOn(row -> row.event().equals("BOOKED"))
			.extracting(MessagingFixture.Row::channel, MessagingFixture.Row::status)
			.contains(org.assertj.core.groups.Tuple.tuple("SMS", "FAILED"));
	}

	@Test
	void repliesLandInTheInboxAStopEndsMarketingAndAStrangerIsKeptForTheLeads() throws Exception {
		String phone = MessagingFixture.mobile();
		long patient = this.fixture.patient(phone, null, null);
		this.fixture.visit(patient, 3, DayOfWeek.THURSDAY, 10, 0);
		await().atMost(Duration.ofSeconds(10)).until(() -> !received(phone).isEmpty());
		smsc.deliverFromPatient(phone, "СТОП");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc
				.sql("select count(*) from message_opt_out where patient_id = :p and scope = 'MARKETING'")
				.param("p", patient)
				.query(Integer.class)
				.single() == 1);
		assertThat(this.jdbc.sql("select body from inbound_message where patient_id = :p")
			.param("p", patient)
			.query(String.class)
			.list()).containsExactly("СТОП");
		String stranger = MessagingFixture.mobile();
		smsc.deliverFromPatient(stranger, "Hello, how much is a massage?");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("select count(*) from inbound_message where sender = :s and patient_id is null")
				.param("s", stranger)
				.query(Integer.class)
				.single() == 1);
		assertThat(this.jdbc.sql("select body from inbound_message where sender = :s")
			.param("s", stranger)
			.query(String.class)
			.single()).isEqualTo("Hello, how much is a massage?");
	}

	@Test
	void aDroppedSmppLinkIsBoundAgainAndNothingIsLost() throws Exception {
		String phone = MessagingFixture.mobile();
		long patient = this.fixture.patient(phone, null, null);
		// Make sure a session is bound, then cut every link from the SMSC's side.
		Appointment first = this.fixture.visit(patient, 3, DayOfWeek.FRIDAY, 10, 0);
		await().atMost(Duration.ofSeconds(15)).until(() -> !received(phone).isEmpty());
		smsc.dropSessions();
		Appointment second = this.fixture.visit(patient, 3, DayOfWeek.FRIDAY, 12, 0);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.fixture.messages(second.id())
				.stream()
				.filter(row -> row.event().equals("BOOKED"))
				.allMatch(row -> row.status().equals("DELIVERED")));
		assertThat(this.fixture.messages(first.id())).filteredOn(row -> row.event().equals("BOOKED"))
			.allSatisfy(row -> assertThat(row.status()).isIn("SENT", "DELIVERED"));
	}

	@Test
	void aLinkThatClosesMidSubmitIsNoticedAtOnceNotAfterTheTimeout() {
		String phone = MessagingFixture.mobile();
		long patient = this.fixture.patient(phone, null, null);
		smsc.hangUpOn(phone.substring(1));
		long started = System.nanoTime();
		Appointment visit = this.fixture.visit(patient, 3, DayOfWeek.FRIDAY, 15, 0);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.fixture.messages(visit.id())
				.stream()
				.filter(row -> row.event().equals("BOOKED"))
				.allMatch(row -> row.status().equals("DELIVERED")));
		// The submit timeout is 10 s: the retry went out on a new link well before.
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
		// Each part once: the hung-up submit was never taken.
		assertThat(received(phone)).extracting(message -> java.util.HexFormat.of().formatHex(message.payload()))
			.doesNotHaveDuplicates()
			.isNotEmpty();
	}

	private List<SmscSimulator.Received> received(String phone) {
		return smsc.received.stream().filter(message -> message.destination().equals(phone.substring(1))).toList();
	}

	private void dueNow(Appointment visit, String event) {
		this.jdbc.sql("update outbox_message set due_at = now() where appointment_id = :a and event = :e")
			.param("a", visit.id())
			.param("e", event)
			.update();
	}

	/** While open, the SMSC refuses one number as invalid. */
	private static final class Refusing implements AutoCloseable {

		Refusing(String phone) {
			smsc.refuse(phone.substring(1));
		}

		@Override
		public void close() {
			smsc.refuse(null);
		}

	}

}
