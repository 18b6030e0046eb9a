package dev.klinika.scheduling;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Own durations, rooms a service needs, group sessions with seats, holds of the online
 * form, and courses booked in one step; each test on its own staff, room and services.
 */
@KlinikaTest
class ResourcesAndCoursesTests {

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	dev.klinika.scheduling.Availability availability;

	@Autowired
	Courses courses;

	@Autowired
	StaffDurations durations;

	@Autowired
	SlotHolds holds;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	JdbcClient jdbc;

	OwnClinic clinic;

	@BeforeEach
	void ownClinic() {
		this.clinic = OwnClinic.create(this.jdbc, this.patterns);
	}

	@Test
	void aStaffMembersOwnDurationLengthensTheVisitAndMovesTheLastFreeStart() {
		LocalDate day = LocalDate.ofInstant(this.clinic.at(6, DayOfWeek.TUESDAY, 12, 0), this.clinic.zone());
		assertThat(lastStart(day)).isEqualTo(LocalTime.of(17, 30));
		this.durations.set(this.clinic.first(), this.clinic.plainService(), 60);
		assertThat(lastStart(day)).isEqualTo(LocalTime.of(17, 0));
		Appointment visit = book(0, this.clinic.first(), this.clinic.plainService(),
				this.clinic.at(6, DayOfWeek.TUESDAY, 17, 0));
		assertThat(Duration.between(visit.time().start(), visit.time().end())).isEqualTo(Duration.ofHours(1));
		assertThatExceptionOfType(BookingRefused.class)
			.isThrownBy(() -> book(1, this.clinic.first(), this.clinic.plainService(),
					this.clinic.at(6, DayOfWeek.WEDNESDAY, 17, 30)))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("OUTSIDE_SHIFT"));
		assertThatExceptionOfType(BookingRefused.class)
			.isThrownBy(() -> this.durations.set(this.clinic.first(), this.clinic.plainService(), 2));
	}

	@Test
	void aServiceThatNeedsARoomTakesItWithTheStaffMemberOrNothingIsBooked() {
		Instant ten = this.clinic.at(6, DayOfWeek.MONDAY, 10, 0);
		Appointment first = book(0, this.clinic.first(), this.clinic.roomService(), ten);
		assertThat(first.roomId()).isEqualTo(this.clinic.room());
		// The only room of the kind is taken: the second specialist is free, the room is
		// not.
		LocalDate day = LocalDate.ofInstant(ten, this.clinic.zone());
		List<Instant> secondFree = this.availability.freeSlots(this.clinic.second(), this.clinic.branch(),
				this.clinic.roomService(), day, day);
		assertThat(secondFree).doesNotContain(ten, ten.plus(Duration.ofMinutes(15)))
			.contains(ten.plus(Duration.ofMinutes(30)));
		assertThat(this.availability.freeSlots(this.clinic.second(), this.clinic.branch(), this.clinic.plainService(),
				day, day))
			.contains(ten);
		assertThatExceptionOfType(SlotTaken.class)
			.isThrownBy(() -> book(1, this.clinic.second(), this.clinic.roomService(), ten));
		assertThat(countOf(this.clinic.second())).isZero();
		// A wrong room is refused, not silently replaced.
		long cabinet = this.jdbc.sql("select min(id) from room where kind = 'CABINET'").query(Long.class).single();
		assertThatExceptionOfType(BookingRefused.class)
			.isThrownBy(() -> this.booking.book(
					new Booking.Request(this.clinic.patients().get(2), this.clinic.roomService(), this.clinic.second(),
							this.clinic.branch(), this.clinic.at(6, DayOfWeek.MONDAY, 12, 0), cabinet)))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("UNKNOWN_ROOM"));
		// Moving the visit takes the room along; the freed time is the room's again.
		this.booking.move(first.id(), this.clinic.at(6, DayOfWeek.MONDAY, 11, 0), this.clinic.first());
		assertThat(book(1, this.clinic.second(), this.clinic.roomService(), ten).roomId())
			.isEqualTo(this.clinic.room());
	}

	@Test
	void aGroupSeatsPatientsUntilFullNeverPastItWhenTwelveBookAtOnce() throws Exception {
		Instant six = this.clinic.at(7, DayOfWeek.THURSDAY, 16, 0);
		int people = 12;
		ExecutorService pool = Executors.newFixedThreadPool(people);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<String>> results = new ArrayList<>();
		for (int i = 0; i < people; i++) {
			int patient = i;
			results.add(pool.submit(() -> {
				go.await();
				try {
					book(patient, this.clinic.first(), this.clinic.groupService(), six);
					return "seat";
				}
				catch (BookingRefused refused) {
					return refused.reason();
				}
				catch (SlotTaken taken) {
					return "taken";
				}
			}));
		}
		go.countDown();
		List<String> answers = new ArrayList<>();
		for (Future<String> result : results) {
			answers.add(result.get());
		}
		pool.shutdown();
		assertThat(answers).as(answers.toString()).filteredOn("seat"::equals).hasSize(3);
		assertThat(answers).as(answers.toString()).filteredOn("GROUP_FULL"::equals).hasSize(people - 3);
		var seats = this.jdbc.sql("""
				select count(*) as seats, count(distinct group_session_id) as groups, count(distinct room_id) as rooms,
				       min(room_id) as room
				  from appointment where staff_id = :staff and status <> 'CANCELLED'
				""").param("staff", this.clinic.first()).query().singleRow();
		assertThat(((Number) seats.get("seats")).intValue()).isEqualTo(3);
		assertThat(((Number) seats.get("groups")).intValue()).isEqualTo(1);
		assertThat(((Number) seats.get("rooms")).intValue()).isEqualTo(1);
		// The group holds its staff member and its room once: nobody else gets either at
		// that time.
		assertThatExceptionOfType(SlotTaken.class)
			.isThrownBy(() -> book(20, this.clinic.first(), this.clinic.plainService(), six));
		assertThatExceptionOfType(SlotTaken.class)
			.isThrownBy(() -> book(21, this.clinic.second(), this.clinic.roomService(), six));
		// A cancelled seat is offered again; the patient already seated cannot take a
		// second seat.
		long seat = this.jdbc.sql("select min(id) from appointment where staff_id = :staff")
			.param("staff", this.clinic.first())
			.query(Long.class)
			.single();
		LocalDate day = LocalDate.ofInstant(six, this.clinic.zone());
		assertThat(groupStarts(day)).doesNotContain(six);
		long seated = this.lifecycle.cancel(seat, "PATIENT_ASKED").patientId();
		assertThat(groupStarts(day)).contains(six);
		long other = this.jdbc.sql("""
				select min(patient_id) from appointment where staff_id = :staff and status <> 'CANCELLED'
				""").param("staff", this.clinic.first()).query(Long.class).single();
		assertThatExceptionOfType(BookingRefused.class)
			.isThrownBy(() -> this.booking.book(new Booking.Request(other, this.clinic.groupService(),
					this.clinic.first(), this.clinic.branch(), six, null)))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("ALREADY_IN_GROUP"));
		Appointment again = this.booking.book(new Booking.Request(seated, this.clinic.groupService(),
				this.clinic.first(), this.clinic.branch(), six, null));
		assertThat(again.groupSessionId()).isNotNull();
		assertThatExceptionOfType(BookingRefused.class)
			.isThrownBy(() -> this.booking.move(again.id(), six.plus(Duration.ofDays(1)), this.clinic.first()))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("GROUP_MOVE"));
	}

	@Test
	void aHeldTimeIsNeitherOfferedNorBookableExceptWithItsToken() {
		Instant noon = this.clinic.at(6, DayOfWeek.FRIDAY, 12, 0);
		LocalDate day = LocalDate.ofInstant(noon, this.clinic.zone());
		String token = this.holds.hold(this.clinic.first(), TimeSpan.of(noon, Duration.ofMinutes(30)));
		assertThat(token).isNotNull();
		assertThat(this.holds.hold(this.clinic.first(), TimeSpan.of(noon, Duration.ofMinutes(30)))).isNull();
		assertThat(this.availability.freeSlots(this.clinic.first(), this.clinic.branch(), this.clinic.plainService(),
				day, day))
			.doesNotContain(noon);
		assertThatExceptionOfType(SlotTaken.class)
			.isThrownBy(() -> book(0, this.clinic.first(), this.clinic.plainService(), noon));
		Appointment booked = this.booking
			.book(new Booking.Request(this.clinic.patients().get(0), this.clinic.plainService(), this.clinic.first(),
					this.clinic.branch(), noon, null, Booking.Source.ONLINE, token, null));
		assertThat(booked.time().start()).isEqualTo(noon);
		assertThat(this.jdbc.sql("select count(*) from slot_hold where token = :token")
			.param("token", token)
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void aCourseBooksWholeOrListsEachSessionThatDoesNotFit() {
		Instant firstMonday = this.clinic.at(8, DayOfWeek.MONDAY, 10, 0);
		LocalDate start = LocalDate.ofInstant(firstMonday, this.clinic.zone());
		var request = new Courses.Request(this.clinic.patients().get(0), this.clinic.plainService(),
				this.clinic.branch(), this.clinic.first(), start,
				EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY), LocalTime.of(10, 0), 6);
		// Somebody already has the first specialist on the second Wednesday... no: the
		// first Friday at 10.
		Instant friday = this.clinic.at(8, DayOfWeek.FRIDAY, 10, 0);
		Appointment blocker = book(5, this.clinic.first(), this.clinic.plainService(), friday);
		Courses.Plan refused = this.courses.book(request);
		assertThat(refused.seriesId()).isNull();
		assertThat(refused.conflicts()).isEqualTo(1);
		Courses.Session conflict = refused.sessions().get(2);
		assertThat(conflict.fits()).isFalse();
		assertThat(conflict.start()).isEqualTo(friday);
		assertThat(conflict.alternatives()).isNotEmpty()
			.contains(friday.plus(Duration.ofMinutes(30)))
			.allSatisfy(alt -> assertThat(LocalDate.ofInstant(alt, this.clinic.zone()))
				.isEqualTo(LocalDate.ofInstant(friday, this.clinic.zone())));
		assertThat(countOf(this.clinic.first())).isEqualTo(1);
		// With "anyone", the other specialist takes the Friday; everything else stays
		// with one person.
		this.lifecycle.cancel(blocker.id(), "PATIENT_ASKED");
		book(5, this.clinic.first(), this.clinic.plainService(), friday);
		var anyone = new Courses.Request(request.patientId(), request.serviceId(), request.branchId(), null, start,
				request.days(), request.time(), request.sessions());
		Courses.Plan booked = this.courses.book(anyone);
		assertThat(booked.seriesId()).isNotNull();
		assertThat(booked.sessions()).hasSize(6).allSatisfy(session -> assertThat(session.appointmentId()).isNotNull());
		assertThat(booked.sessions()).extracting(Courses.Session::staffId)
			.filteredOn(id -> id == this.clinic.second())
			.hasSize(1);
		assertThat(this.courses.sessions(booked.seriesId())).hasSize(6);
		// The rest of the course moves by an hour, all of it; then the last two are
		// cancelled.
		long fourth = booked.sessions().get(3).appointmentId();
		this.courses.moveRest(fourth, booked.sessions().get(3).start().plus(Duration.ofHours(1)), this.clinic.first());
		List<Appointment> after = this.courses.sessions(booked.seriesId());
		assertThat(after.subList(3, 6))
			.allSatisfy(a -> assertThat(a.time().start().atZone(this.clinic.zone()).getHour()).isEqualTo(11));
		assertThat(after.subList(0, 3))
			.allSatisfy(a -> assertThat(a.time().start().atZone(this.clinic.zone()).getHour()).isEqualTo(10));
		assertThat(this.courses.cancelRest(after.get(4).id(), "PATIENT_ASKED")).isEqualTo(2);
		assertThat(this.courses.sessions(booked.seriesId())).extracting(Appointment::status)
			.containsExactly(AppointmentStatus.BOOKED, AppointmentStatus.BOOKED, AppointmentStatus.BOOKED,
					AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED, AppointmentStatus.CANCELLED);
	}

	@Test
	void aPatientBookedElsewhereAtTheSameTimeIsFound() {
		Instant eleven = this.clinic.at(9, DayOfWeek.TUESDAY, 11, 0);
		Appointment there = book(3, this.clinic.first(), this.clinic.plainService(), eleven);
		Appointment here = book(3, this.clinic.second(), this.clinic.plainService(),
				eleven.plus(Duration.ofMinutes(15)));
		assertThat(this.booking.patientElsewhere(this.clinic.patients().get(3), here.time(), here.id()))
			.extracting(Appointment::id)
			.containsExactly(there.id());
		assertThat(this.booking.patientElsewhere(this.clinic.patients().get(4), here.time(), null)).isEmpty();
	}

	private Appointment book(int patient, long staff, long service, Instant start) {
		return this.booking.book(new Booking.Request(this.clinic.patients().get(patient), service, staff,
				this.clinic.branch(), start, null));
	}

	private LocalTime lastStart(LocalDate day) {
		List<Instant> free = this.availability.freeSlots(this.clinic.first(), this.clinic.branch(),
				this.clinic.plainService(), day, day);
		return free.get(free.size() - 1).atZone(this.clinic.zone()).toLocalTime();
	}

	private List<Instant> groupStarts(LocalDate day) {
		return this.availability.freeSlots(this.clinic.first(), this.clinic.branch(), this.clinic.groupService(), day,
				day);
	}

	private int countOf(long staff) {
		return this.jdbc.sql("select count(*) from appointment where staff_id = :staff and status <> 'CANCELLED'")
			.param("staff", staff)
			.query(Integer.class)
			.single();
	}

}
