package dev.klinika;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;

import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.AppointmentEvents.AppointmentBooked;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCompleted;
import dev.klinika.scheduling.Availability;
import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;
import dev.klinika.telephony.CallEvent;
import dev.klinika.telephony.Calls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main flows between modules, as scenarios: what one module does, the event it
 * publishes, and what the listening module has made of it once the event arrived.
 */
@KlinikaTest
@EnableScenarios
class ModuleFlowsTests {

	static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	Availability availability;

	@Autowired
	Calls calls;

	@Test
	void scheduling_booked_then_messaging_plansTheReminders(Scenario scenario) {
		OwnClinicAccess.Ids clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		long patient = patientWithAMobile();
		Instant start = LocalDate.now(MOSCOW)
			.plusWeeks(2)
			.with(TemporalAdjusters.nextOrSame(DayOfWeek.WEDNESDAY))
			.atTime(15, 0)
			.atZone(MOSCOW)
			.toInstant();
		scenario
			.stimulate(() -> this.booking.book(
					new Booking.Request(patient, clinic.plainService(), clinic.first(), clinic.branch(), start, null)))
			.andWaitForStateChange(() -> reminders(patient, start), reminders -> reminders.size() == 2)
			.andVerify((reminders, visit) -> {
				assertThat(reminders).containsExactly(start.atZone(MOSCOW).minusDays(1).withHour(12).toInstant(),
						start.minus(Duration.ofHours(2)));
				assertThat(visit.patientId()).isEqualTo(patient);
			});
	}

	@Test
	void scheduling_completed_then_tasks_makesTheRecall(Scenario scenario) {
		OwnClinicAccess.Ids clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		this.jdbc.sql("update service set repeat_interval = 'P6M' where id = :id")
			.param("id", clinic.plainService())
			.update();
		Appointment visit = arrived(clinic);
		Instant start = visit.time().start();
		scenario.stimulate(() -> this.lifecycle.complete(visit.id()))
			.andWaitForStateChange(() -> recalls(visit.id()), recalls -> !recalls.isEmpty())
			.andVerify(recalls -> assertThat(recalls).singleElement()
				.satisfies(due -> assertThat(LocalDate.ofInstant(due, MOSCOW))
					.isEqualTo(LocalDate.ofInstant(start, MOSCOW).plusMonths(6).minusDays(14))));
	}

	@Test
	void scheduling_booked_publishesTheBookingForTheOtherModules(Scenario scenario) {
		OwnClinicAccess.Ids clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		long patient = patientWithAMobile();
		LocalDate from = LocalDate.now(MOSCOW).plusDays(1);
		Instant start = this.availability
			.freeSlots(clinic.second(), clinic.branch(), clinic.plainService(), from, from.plusDays(7))
			.get(0);
		scenario
			.stimulate(() -> this.booking.book(
					new Booking.Request(patient, clinic.plainService(), clinic.second(), clinic.branch(), start, null)))
			.andWaitForEventOfType(AppointmentBooked.class)
			.matching(event -> event.patient() == patient)
			.toArriveAndVerify((event, visit) -> {
				assertThat(event.appointment()).isEqualTo(visit.id());
				assertThat(event.start()).isEqualTo(start);
				assertThat(event.staff()).isEqualTo(clinic.second());
			});
	}

	@Test
	void telephony_missedCall_then_tasks_hasACallbackForTheAdmins(Scenario scenario) {
		String caller = "+7916" + String.format("%07d", Math.floorMod(UUID.randomUUID().hashCode(), 9_999_999));
		String call = "flow-" + UUID.randomUUID();
		Instant now = Instant.now();
		scenario.stimulate(() -> {
			this.calls.apply(new CallEvent("generic", call + ":1", call, CallEvent.Kind.STARTED, now.minusSeconds(40),
					CallEvent.Direction.IN, caller, "+74950000000", null, null));
			return this.calls.apply(new CallEvent("generic", call + ":2", call, CallEvent.Kind.ENDED,
					now.minusSeconds(10), CallEvent.Direction.IN, caller, "+74950000000", null, null));
		})
			.andWaitForStateChange(() -> callbacks(call), callbacks -> !callbacks.isEmpty())
			.andVerify((callbacks, ended) -> {
				assertThat(ended.status()).isEqualTo("MISSED");
				assertThat(callbacks).containsExactly("CALL_BACK ADMIN OPEN");
			});
	}

	@Test
	void aCompletedVisitIsAnEventOthersHear(Scenario scenario) {
		OwnClinicAccess.Ids clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		Appointment visit = arrived(clinic);
		scenario.stimulate(() -> this.lifecycle.complete(visit.id()))
			.andWaitForEventOfType(AppointmentCompleted.class)
			.matching(event -> event.appointment() == visit.id())
			.toArrive();
	}

	/** A visit at the first free time from tomorrow on, the patient arrived. */
	private Appointment arrived(OwnClinicAccess.Ids clinic) {
		LocalDate from = LocalDate.now(MOSCOW).plusDays(1);
		Instant start = this.availability
			.freeSlots(clinic.first(), clinic.branch(), clinic.plainService(), from, from.plusDays(7))
			.get(0);
		Appointment visit = this.booking.book(new Booking.Request(patientWithAMobile(), clinic.plainService(),
				clinic.first(), clinic.branch(), start, null));
		return this.lifecycle.checkIn(visit.id());
	}

	private long patientWithAMobile() {
		return this.jdbc.sql("""
				select p.id from patient p join patient_phone ph on ph.patient_id = p.id and ph.main
				 where p.merged_into is null and p.erased_at is null and ph.number like '+79%'
				   and not exists (select 1 from message_opt_out o where o.patient_id = p.id)
				 order by p.id desc limit 1
				""").query(Long.class).single();
	}

	private List<Instant> reminders(long patient, Instant start) {
		return this.jdbc.sql("""
				select m.due_at from outbox_message m join appointment a on a.id = m.appointment_id
				 where a.patient_id = :patient and lower(a.during) = :start and m.event = 'REMINDER' order by m.due_at
				""")
			.param("patient", patient)
			.param("start", start.atOffset(java.time.ZoneOffset.UTC))
			.query((rs, n) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
			.list();
	}

	private List<Instant> recalls(long appointment) {
		return this.jdbc
			.sql("select due_at from task where cause_type = 'appointment' and cause_id = :id and kind = 'BOOK'")
			.param("id", appointment)
			.query((rs, n) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
			.list();
	}

	private List<String> callbacks(String vendorCall) {
		return this.jdbc.sql("""
				select t.kind || ' ' || t.owner_role || ' ' || t.status from task t
				 where t.cause_type = 'call' and t.cause_id = (select c.id from call c where c.vendor_call_id = :call)
				""").param("call", vendorCall).query(String.class).list();
	}

}
