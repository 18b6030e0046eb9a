package dev.klinika.tasks;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaTest;
import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;
import dev.klinika.security.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tasks kept honest under concurrency and bad input, and the built-in rules firing once
 * per cause: a no-show gets a call, a repeating service gets a recall that booking
 * closes.
 */
@KlinikaTest
class TasksAndRulesTests {

	@Autowired
	Tasks tasks;

	@Autowired
	Automation automation;

	@Autowired
	RuleTriggers triggers;

	@Autowired
	OverdueEscalation escalation;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	dev.klinika.scheduling.Availability availability;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	JdbcClient jdbc;

	@Test
	void twoAdminsCompletingOneTaskAtOnceLeaveOneOutcomeAndTellTheOtherWhoDidIt() throws Exception {
		long branch = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
		long id = this.tasks.create(task(branch, Instant.now().plus(Duration.ofHours(1))));
		ExecutorService pool = Executors.newFixedThreadPool(2);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<String>> results = new ArrayList<>();
		for (String outcome : List.of("дозвонилась, записала", "не берёт трубку")) {
			results.add(pool.submit(() -> {
				go.await();
				try {
					this.tasks.complete(id, 0, outcome);
					return "done";
				}
				catch (Tasks.TaskAlreadyClosed closed) {
					return "closed by " + closed.task().closedBy() + ": " + closed.task().outcome();
				}
				catch (dev.klinika.shared.ConcurrentChange changed) {
					return "changed";
				}
			}));
		}
		go.countDown();
		List<String> answers = new ArrayList<>();
		for (Future<String> result : results) {
			answers.add(result.get());
		}
		pool.shutdown();
		assertThat(answers).filteredOn("done"::equals).hasSize(1);
		assertThat(answers).filteredOn(a -> !a.equals("done"))
			.singleElement()
			.satisfies(a -> assertThat(a).matches("closed by system: .*|changed"));
		Task task = this.tasks.find(id).orElseThrow();
		assertThat(task.status()).isEqualTo(TaskStatus.DONE);
		assertThat(task.outcome()).isIn("дозвонилась, записала", "не берёт трубку");
	}

	@Test
	void badTasksAreRefusedWithAReason() {
		long branch = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
		assertThatExceptionOfType(TaskRefused.class)
			.isThrownBy(() -> this.tasks.create(task(branch, Instant.now().minus(Duration.ofHours(2)))))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("DUE_PAST"));
		long disabled = this.jdbc.sql("""
				insert into app_user (username, password_hash, full_name, enabled) values (:u, 'x', 'Уволенная', false)
				returning id
				""").param("u", "gone" + System.nanoTime()).query(Long.class).single();
		var forDisabled = new Tasks.NewTask("Позвонить", TaskKind.CALL_BACK, null, branch, disabled, null,
				Instant.now().plusSeconds(600), TaskPriority.NORMAL, null, null, null, null, null);
		assertThatExceptionOfType(TaskRefused.class).isThrownBy(() -> this.tasks.create(forDisabled))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("OWNER_INACTIVE"));
		long id = this.tasks.create(task(branch, Instant.now().plusSeconds(600)));
		assertThatExceptionOfType(TaskRefused.class).isThrownBy(() -> this.tasks.complete(id, 0, "  "))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("OUTCOME"));
		assertThatExceptionOfType(TaskRefused.class).isThrownBy(() -> this.tasks.reassign(id, 0, disabled, null));
		// To a person, and back to a role: the one owner each time.
		long admin = this.jdbc.sql("select id from app_user where username = 'admin'").query(Long.class).single();
		this.tasks.reassign(id, 0, admin, null);
		assertThat(this.jdbc.sql("select owner_user_id || ' ' || coalesce(owner_role, '-') from task where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).isEqualTo(admin + " -");
		this.tasks.reassign(id, 1, null, dev.klinika.security.Role.SENIOR_ADMIN);
		assertThat(
				this.jdbc.sql("select coalesce(owner_user_id::text, '-') || ' ' || owner_role from task where id = :id")
					.param("id", id)
					.query(String.class)
					.single())
			.isEqualTo("- SENIOR_ADMIN");
		// Not to someone of another branch: the task names its patient.
		long elsewhere = this.jdbc.sql("""
				select min(b.id) from branch b
				 where not exists (select 1 from user_branch ub where ub.user_id = :u and ub.branch_id = b.id)
				""").param("u", admin).query(Long.class).single();
		long theirs = this.tasks.create(task(elsewhere, Instant.now().plusSeconds(600)));
		assertThatExceptionOfType(TaskRefused.class).isThrownBy(() -> this.tasks.reassign(theirs, 0, admin, null))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("OWNER_ELSEWHERE"));
		var forAdminElsewhere = new Tasks.NewTask("Позвонить", TaskKind.CALL_BACK, null, elsewhere, admin, null,
				Instant.now().plusSeconds(600), TaskPriority.NORMAL, null, null, null, null, null);
		assertThatExceptionOfType(TaskRefused.class).isThrownBy(() -> this.tasks.create(forAdminElsewhere))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("OWNER_ELSEWHERE"));
		// A rule's task due in the past is due now instead.
		long now = this.tasks.createFor(task(branch, Instant.now().minus(Duration.ofDays(3))));
		assertThat(this.tasks.find(now).orElseThrow().dueAt()).isAfter(Instant.now().minus(Duration.ofMinutes(1)));
	}

	@Test
	void aTaskOverdueForAnHourGoesToTheSeniorAdminOnceAndEscalationsAreNotEscalated() {
		long branch = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
		long late = this.tasks.create(task(branch, Instant.now().plusSeconds(60)));
		this.jdbc.sql("update task set due_at = now() - interval '2 hours' where id = :id").param("id", late).update();
		this.escalation.escalateOverdue();
		this.escalation.escalateOverdue();
		List<Long> escalations = this.jdbc.sql("select id from task where cause_type = 'task' and cause_id = :id")
			.param("id", late)
			.query(Long.class)
			.list();
		assertThat(escalations).hasSize(1);
		Task escalation = this.tasks.find(escalations.get(0)).orElseThrow();
		assertThat(escalation.ownerRole()).isEqualTo(Role.SENIOR_ADMIN);
		assertThat(escalation.title()).contains("Перезвонить по поводу анализов");
		// Even overdue itself, the escalation does not escalate again.
		this.jdbc.sql("update task set due_at = now() - interval '3 hours' where id = :id")
			.param("id", escalation.id())
			.update();
		this.escalation.escalateOverdue();
		assertThat(this.jdbc.sql("select count(*) from task where cause_type = 'task' and cause_id = :id")
			.param("id", escalation.id())
			.query(Integer.class)
			.single()).isZero();
		this.tasks.complete(escalation.id(), escalation.version(), "Поговорила с администратором");
		this.tasks.complete(late, 0, "Дозвонились");
	}

	@Test
	void aNoShowGetsOneCallTaskForTheBranchAdminsHoweverOftenTheEventArrives() {
		var clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		long patient = patient();
		Appointment visit = visitSoon(clinic, patient, clinic.plainService());
		this.lifecycle.markNoShow(visit.id());
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tasksOf(visit.id()) == 1);
		Task task = this.tasks.find(taskOf(visit.id())).orElseThrow();
		assertThat(task.kind()).isEqualTo(TaskKind.CALL_BACK);
		assertThat(task.ownerRole()).isEqualTo(Role.ADMIN);
		assertThat(task.branchId()).isEqualTo(clinic.branch());
		assertThat(task.priority()).isEqualTo(TaskPriority.HIGH);
		assertThat(Duration.between(Instant.now(), task.dueAt())).isBetween(Duration.ofMinutes(13),
				Duration.ofMinutes(16));
		// Redelivered (as the publication registry does after a restart): nothing new.
		this.triggers.fire(Automation.Trigger.APPOINTMENT_NO_SHOW,
				new Automation.Visit(this.booking.find(visit.id()).orElseThrow(), service(clinic.plainService()),
						java.time.ZoneId.of("Europe/Moscow")));
		assertThat(tasksOf(visit.id())).isEqualTo(1);
		long rule = this.jdbc.sql("select id from automation_rule where code = 'NO_SHOW_CALL'")
			.query(Long.class)
			.single();
		assertThat(this.automation.firings(rule, 1000)).filteredOn(f -> f.cause().equals("appointment:" + visit.id()))
			.singleElement()
			.satisfies(f -> assertThat(f.taskId()).isEqualTo(task.id()));
	}

	@Test
	void aRepeatingServiceCompletedGetsARecallThatBookingTheServiceCloses() {
		var clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		this.jdbc.sql("update service set repeat_interval = 'P6M' where id = :id")
			.param("id", clinic.plainService())
			.update();
		long patient = patient();
		Appointment visit = visitSoon(clinic, patient, clinic.plainService());
		this.lifecycle.checkIn(visit.id());
		this.lifecycle.complete(visit.id());
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tasksOf(visit.id()) >= 1);
		Task recall = this.jdbc.sql("select id from task where cause_id = :id and kind = 'BOOK'")
			.param("id", visit.id())
			.query(Long.class)
			.list()
			.stream()
			.map(id -> this.tasks.find(id).orElseThrow())
			.findFirst()
			.orElseThrow();
		LocalDate visitDay = LocalDate.ofInstant(visit.time().start(), java.time.ZoneId.of("Europe/Moscow"));
		assertThat(LocalDate.ofInstant(recall.dueAt(), java.time.ZoneId.of("Europe/Moscow")))
			.isEqualTo(visitDay.plusMonths(6).minusDays(14));
		assertThat(recall.serviceId()).isEqualTo(clinic.plainService());
		// The first completed visit of this patient: a thank-you is asked of messaging.
		long thanks = this.jdbc.sql("select id from automation_rule where code = 'FIRST_VISIT_THANKS'")
			.query(Long.class)
			.single();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.automation.firings(thanks, 1000)
				.stream()
				.anyMatch(f -> f.cause().equals("appointment:" + visit.id())
						&& f.result().equals("message THANK_YOU_FIRST_VISIT")));
		// Booking the service again ends the recall.
		this.booking.book(new Booking.Request(patient, clinic.plainService(), clinic.first(), clinic.branch(),
				nextMonday(10), null));
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.tasks.find(recall.id()).orElseThrow().status() == TaskStatus.DONE);
	}

	private Appointment visitSoon(OwnClinicAccess.Ids clinic, long patient, long service) {
		// A visit in the clinic's first free time from tomorrow on: no-shows and
		// completions need a real one.
		LocalDate from = LocalDate.now().plusDays(1);
		Instant start = this.availability.freeSlots(clinic.first(), clinic.branch(), service, from, from.plusDays(7))
			.get(0);
		return this.booking.book(new Booking.Request(patient, service, clinic.first(), clinic.branch(), start, null));
	}

	private Instant nextMonday(int hour) {
		return LocalDate.now()
			.plusWeeks(2)
			.with(DayOfWeek.MONDAY)
			.atTime(hour, 0)
			.atZone(java.time.ZoneId.of("Europe/Moscow"))
			.toInstant();
	}

	private long patient() {
		// A patient with no visits at all, so that the first-visit rule applies.
		return this.jdbc.sql("""
				select min(p.id) from patient p where p.merged_into is null and p.erased_at is null
				   and not exists (select 1 from appointment a where a.patient_id = p.id)
				""").query(Long.class).single();
	}

	private dev.klinika.catalog.MedicalService service(long id) {
		return this.jdbc.sql("select id from service where id = :id")
			.param("id", id)
			.query(Long.class)
			.optional()
			.flatMap(found -> this.services.findById(found))
			.orElseThrow();
	}

	@Autowired
	dev.klinika.catalog.MedicalServices services;

	private int tasksOf(long appointment) {
		return this.jdbc.sql("select count(*) from task where cause_type = 'appointment' and cause_id = :id")
			.param("id", appointment)
			.query(Integer.class)
			.single();
	}

	private long taskOf(long appointment) {
		return this.jdbc.sql("select id from task where cause_type = 'appointment' and cause_id = :id")
			.param("id", appointment)
			.query(Long.class)
			.single();
	}

	private static Tasks.NewTask task(long branch, Instant due) {
		return new Tasks.NewTask("Перезвонить по поводу анализов", TaskKind.CALL_BACK, null, branch, null, Role.ADMIN,
				due, TaskPriority.NORMAL, null, null, null, null, null);
	}

}
