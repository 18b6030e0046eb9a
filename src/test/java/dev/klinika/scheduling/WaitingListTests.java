package dev.klinika.scheduling;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaTest;
import dev.klinika.security.BranchScope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A cancelled visit's time goes to the patients waiting for that service; the first to
 * take it books it.
 */
@KlinikaTest
class WaitingListTests {

	@Autowired
	WaitingList waiting;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aFreedTimeIsOfferedToThoseWaitingForItAndTheFirstToTakeItBooksIt() {
		OwnClinic clinic = OwnClinic.create(this.jdbc, this.patterns);
		Instant ten = clinic.at(6, DayOfWeek.MONDAY, 10, 0);
		LocalDate day = LocalDate.ofInstant(ten, clinic.zone());
		Appointment cancelled = this.booking.book(new Booking.Request(clinic.patients().get(0), clinic.plainService(),
				clinic.first(), clinic.branch(), ten, null));
		List<Long> p = clinic.patients();
		long anyone = wish(p.get(1), clinic, clinic.plainService(), null, day.minusDays(2), day.plusDays(2));
		long alsoAnyone = wish(p.get(2), clinic, clinic.plainService(), null, day, day);
		long otherService = wish(p.get(3), clinic, clinic.roomService(), null, day, day);
		long otherStaff = wish(p.get(4), clinic, clinic.plainService(), clinic.second(), day, day);
		long otherDays = wish(p.get(5), clinic, clinic.plainService(), null, day.plusDays(1), day.plusDays(5));

		this.lifecycle.cancel(cancelled.id(), "PATIENT_ASKED");

		Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> offers(anyone) == 1);
		Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> offers(alsoAnyone) == 1);
		assertThat(offers(otherService) + offers(otherStaff) + offers(otherDays)).isZero();
		var listed = this.waiting.entries(BranchScope.everything(), clinic.branch());
		assertThat(listed).filteredOn(e -> e.id() == anyone)
			.singleElement()
			.satisfies(e -> assertThat(e.offers()).extracting(WaitingList.Offer::start).containsExactly(ten));

		long first = offerOf(anyone);
		Appointment taken = this.waiting.take(first);
		assertThat(taken.patientId()).isEqualTo(p.get(1));
		assertThat(taken.time().start()).isEqualTo(ten);
		assertThat(this.jdbc.sql("select source from appointment where id = :id")
			.param("id", taken.id())
			.query(String.class)
			.single()).isEqualTo("WAITING_LIST");
		assertThatExceptionOfType(SlotTaken.class).isThrownBy(() -> this.waiting.take(offerOf(alsoAnyone)));
		assertThat(status(anyone)).isEqualTo("BOOKED");
		assertThat(status(alsoAnyone)).isEqualTo("WAITING");
		assertThatExceptionOfType(BookingRefused.class).isThrownBy(() -> this.waiting.take(first));
		// Nonsense periods are refused with a reason.
		assertThatExceptionOfType(BookingRefused.class)
			.isThrownBy(() -> wish(p.get(6), clinic, clinic.plainService(), null, day, day.minusDays(1)))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo("WAITING_RANGE"));
	}

	private long wish(long patient, OwnClinic clinic, long service, Long staff, LocalDate from, LocalDate to) {
		return this.waiting.add(new WaitingList.Wish(patient, clinic.branch(), service, staff, from, to, null));
	}

	private int offers(long entry) {
		return this.jdbc.sql("select count(*) from waiting_offer where entry_id = :entry")
			.param("entry", entry)
			.query(Integer.class)
			.single();
	}

	private long offerOf(long entry) {
		return this.jdbc.sql("select id from waiting_offer where entry_id = :entry")
			.param("entry", entry)
			.query(Long.class)
			.single();
	}

	private String status(long entry) {
		return this.jdbc.sql("select status from waiting_entry where id = :entry")
			.param("entry", entry)
			.query(String.class)
			.single();
	}

}
