package dev.klinika.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import dev.klinika.KlinikaTest;
import dev.klinika.organization.Branches;
import dev.klinika.scheduling.AppointmentEvents.AppointmentBooked;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCompleted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Booking against the demo schedule: rules refused with reasons, overlaps decided by the
 * database.
 */
@KlinikaTest
@RecordApplicationEvents
class BookingTests {

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	dev.klinika.scheduling.Availability availability;

	@Autowired
	WorkingTime workingTime;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Branches branches;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApplicationEvents events;

	@Autowired
	dev.klinika.patients.PatientMerge merge;

	@Autowired
	org.springframework.security.core.userdetails.UserDetailsService accounts;

	long staff;

	long branch;

	long service;

	ZoneId zone;

	List<Long> patients;

	@BeforeEach
	void pickAStaffMemberWithAShiftAndAService() {
		// A demo specialist on the weekly 9-13, 14-18 pattern in their first branch.
		var picked = DemoSchedule.weeklyStaff(this.jdbc, null, 0, false);
		this.staff = picked.staff();
		this.branch = picked.branch();
		this.service = picked.service();
		this.zone = this.branches.findById(this.branch).orElseThrow().getZone();
		this.patients = this.jdbc.sql("select id from patient where merged_into is null order by id limit 100")
			.query(Long.class)
			.list();
	}

	@Test
	void booksInsideAShiftAndTellsTheOtherModules() {
		Instant start = freeSlots().get(0);
		Appointment appointment = book(this.patients.get(0), start);
		assertThat(appointment.status()).isEqualTo(AppointmentStatus.BOOKED);
		assertThat(appointment.time().start()).isEqualTo(start);
		assertThat(this.events.stream(AppointmentBooked.class))
			.anySatisfy(event -> assertThat(event.appointment()).isEqualTo(appointment.id()));
		assertThat(freeSlots()).doesNotContain(start);
	}

	@Test
	void refusesWhatBreaksTheRulesWithAReason() {
		Instant free = freeSlots().get(1);
		assertRefused(Instant.now().minus(Duration.ofHours(1)), "PAST");
		Instant sunday = LocalDate.now()
			.plusWeeks(1)
			.with(java.time.DayOfWeek.SUNDAY)
			.atTime(11, 0)
			.atZone(this.zone)
			.toInstant();
		assertRefused(sunday, "OUTSIDE_SHIFT");
		Instant lunch = free.atZone(this.zone).toLocalDate().atTime(13, 0).atZone(this.zone).toInstant();
		assertRefused(lunch, "OUTSIDE_SHIFT");
		Instant lateEnd = free.atZone(this.zone).toLocalDate().atTime(17, 50).atZone(this.zone).toInstant();
		assertRefused(lateEnd, "OUTSIDE_SHIFT");
		this.patterns.absence(this.staff, "SICK_LEAVE", TimeSpan.of(free, Duration.ofHours(2)), "test");
		assertRefused(free, "ABSENT");
		long otherSpecialty = this.jdbc.sql("""
				select min(s.id) from service s where s.active and s.specialty_id not in
				    (select specialty_id from staff_specialty where staff_id = :staff)
				""").param("staff", this.staff).query(Long.class).single();
		assertThatExceptionOfType(BookingRefused.class)
			.isThrownBy(() -> this.booking
				.book(new Booking.Request(this.patients.get(1), otherSpecialty, this.staff, this.branch, free, null)))
			.satisfies(ex -> assertThat(ex.reason()).isEqualTo("NO_SPECIALTY"));
	}

	@Test
	void answersThatTheTimeWasJustTakenWithTheNearestFreeTimes() {
		Instant start = freeSlots().get(2);
		book(this.patients.get(2), start);
		assertThatExceptionOfType(SlotTaken.class).isThrownBy(() -> book(this.patients.get(3), start))
			.satisfies(taken -> {
				assertThat(taken.alternatives()).isNotEmpty().doesNotContain(start);
				assertThat(freeSlots()).containsAll(taken.alternatives());
			});
	}

	@Test
	void booksExactlyOnceWhenManyTakeTheSameTimeAtOnce() throws Exception {
		Instant start = freeSlots().get(3);
		int people = 32;
		ExecutorService pool = Executors.newFixedThreadPool(people);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Boolean>> attempts = new ArrayList<>();
		for (int i = 0; i < people; i++) {
			long patient = this.patients.get(10 + i);
			Callable<Boolean> attempt = () -> {
				go.await();
				try {
					book(patient, start);
					return true;
				}
				catch (SlotTaken taken) {
					return false;
				}
			};
			attempts.add(pool.submit(attempt));
		}
		go.countDown();
		List<Boolean> results = new ArrayList<>();
		for (Future<Boolean> attempt : attempts) {
			results.add(attempt.get());
		}
		pool.shutdown();
		assertThat(Collections.frequency(results, true)).isEqualTo(1);
		assertThat(Collections.frequency(results, false)).isEqualTo(people - 1);
		assertThat(this.jdbc.sql("""
				select count(*) from appointment where staff_id = :staff and status <> 'CANCELLED'
				   and during && tstzrange(:s, :s + interval '1 minute', '[)')
				""")
			.param("staff", this.staff)
			.param("s", java.time.OffsetDateTime.ofInstant(start, java.time.ZoneOffset.UTC))
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void followsTheLifeOfAVisitAndFreesTheTimeOnCancel() {
		Instant first = freeSlots().get(4);
		Appointment visit = book(this.patients.get(4), first);
		this.lifecycle.confirm(visit.id());
		this.lifecycle.checkIn(visit.id());
		this.lifecycle.start(visit.id());
		assertThat(this.lifecycle.complete(visit.id()).status()).isEqualTo(AppointmentStatus.COMPLETED);
		assertThat(this.events.stream(AppointmentCompleted.class))
			.anySatisfy(event -> assertThat(event.appointment()).isEqualTo(visit.id()));
		assertThatIllegalStateException().isThrownBy(() -> this.lifecycle.cancel(visit.id(), "PATIENT_ASKED"));

		Instant second = freeSlots().get(4);
		Appointment cancelled = book(this.patients.get(5), second);
		this.lifecycle.cancel(cancelled.id(), "PATIENT_ASKED");
		assertThat(this.events.stream(AppointmentCancelled.class))
			.anySatisfy(event -> assertThat(event.reason()).isEqualTo("PATIENT_ASKED"));
		assertThatIllegalStateException().isThrownBy(() -> this.lifecycle.complete(cancelled.id()));
		assertThat(freeSlots()).contains(second);
		assertThat(book(this.patients.get(6), second).status()).isEqualTo(AppointmentStatus.BOOKED);
	}

	@Test
	void movesToAFreeTimeAndOnlyOneOfManyMovesIntoTheSameTimeWins() throws Exception {
		Appointment moved = book(this.patients.get(70), freeSlots().get(0));
		Instant original = moved.time().start();
		List<Instant> free = freeSlots();
		Instant target = free.get(free.size() - 1);
		assertThat(this.booking.move(moved.id(), target, this.staff).time().start()).isEqualTo(target);
		assertThat(this.events.stream(AppointmentEvents.AppointmentMoved.class))
			.anySatisfy(event -> assertThat(event.to()).isEqualTo(target));
		assertThat(freeSlots()).contains(original).doesNotContain(target);

		// Eight appointments, each in the first time still free, all try to move into the
		// same one.
		List<Appointment> movers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			movers.add(book(this.patients.get(71 + i), freeSlots().get(0)));
		}
		List<Instant> rest = freeSlots();
		Instant contested = rest.get(rest.size() - 1);
		ExecutorService pool = Executors.newFixedThreadPool(movers.size());
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Boolean>> attempts = new ArrayList<>();
		for (Appointment mover : movers) {
			attempts.add(pool.submit(() -> {
				go.await();
				try {
					this.booking.move(mover.id(), contested, this.staff);
					return true;
				}
				catch (SlotTaken taken) {
					return false;
				}
			}));
		}
		go.countDown();
		int wins = 0;
		for (Future<Boolean> attempt : attempts) {
			wins += attempt.get() ? 1 : 0;
		}
		pool.shutdown();
		assertThat(wins).isEqualTo(1);
		this.lifecycle.cancel(movers.get(0).id(), "PATIENT_ASKED");
		assertThatIllegalStateException().isThrownBy(() -> this.booking.move(movers.get(0).id(), original, this.staff));
	}

	@Test
	void findsTheSameFreeTimeForTheWholeBranchAsForEachStaffMember() {
		LocalDate from = LocalDate.now().plusDays(1);
		LocalDate to = from.plusDays(6);
		var duration = Duration.ofMinutes(this.jdbc.sql("select duration_minutes from service where id = :id")
			.param("id", this.service)
			.query(Integer.class)
			.single());
		var branchWide = this.availability.freeSlotsInBranch(this.branch, null, duration, from, to);
		assertThat(branchWide).containsKey(this.staff);
		assertThat(branchWide.get(this.staff))
			.isEqualTo(this.availability.freeSlots(this.staff, this.branch, this.service, from, to));
	}

	@Test
	void movesAppointmentsToTheSurvivorWhenCardsAreMerged() throws Exception {
		Instant start = freeSlots().get(5);
		long duplicate = this.patients.get(60);
		long survivor = this.patients.get(61);
		Appointment visit = book(duplicate, start);
		var owner = this.accounts.loadUserByUsername("owner");
		org.springframework.security.core.context.SecurityContextHolder.getContext()
			.setAuthentication(org.springframework.security.authentication.UsernamePasswordAuthenticationToken
				.authenticated(owner, null, owner.getAuthorities()));
		try {
			this.merge.merge(survivor, duplicate, java.util.Map.of());
		}
		finally {
			org.springframework.security.core.context.SecurityContextHolder.clearContext();
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.booking.find(visit.id()).orElseThrow().patientId() != survivor && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(this.booking.find(visit.id()).orElseThrow().patientId()).isEqualTo(survivor);
	}

	private Appointment book(long patient, Instant start) {
		return this.booking.book(new Booking.Request(patient, this.service, this.staff, this.branch, start, null));
	}

	private void assertRefused(Instant start, String reason) {
		assertThatExceptionOfType(BookingRefused.class).isThrownBy(() -> book(this.patients.get(1), start))
			.satisfies(ex -> assertThat(ex.reason()).isEqualTo(reason));
	}

	/** Free times next week, from Monday on. */
	private List<Instant> freeSlots() {
		// Beyond the month of future demo appointments, so the week is free.
		LocalDate monday = LocalDate.now().plusWeeks(6).with(java.time.DayOfWeek.MONDAY);
		return this.availability.freeSlots(this.staff, this.branch, this.service, monday, monday.plusDays(4));
	}

}
