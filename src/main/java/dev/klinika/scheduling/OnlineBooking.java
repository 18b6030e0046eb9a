package dev.klinika.scheduling;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.patients.ConsentChannel;
import dev.klinika.patients.ConsentKind;
import dev.klinika.patients.Consents;
import dev.klinika.patients.PatientDetails;
import dev.klinika.patients.PatientManagement;
import dev.klinika.shared.PhoneNumber;

/**
 * Booking by patients themselves, from the clinic's public page or its website: the
 * patient is found by phone and first name or registered with the consent they gave, the
 * visit is booked on the hold they took, and a retried request books once.
 */
@Service
class OnlineBooking {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Booking booking;

	private final AppointmentLifecycle lifecycle;

	private final Availability availability;

	private final PatientManagement patients;

	private final Consents consents;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final SlotHolds holds;

	private final StaffDurations durations;

	private final dev.klinika.catalog.MedicalServices services;

	private final dev.klinika.patients.PatientRights rights;

	/** How long before a time a patient may still book it themselves. */
	private final Duration lead;

	OnlineBooking(Booking booking, AppointmentLifecycle lifecycle, Availability availability,
			PatientManagement patients, Consents consents, JdbcClient jdbc, TransactionTemplate transaction,
			Clock clock, SlotHolds holds, StaffDurations durations, dev.klinika.catalog.MedicalServices services,
			dev.klinika.patients.PatientRights rights, @Value("${klinika.booking.min-lead-time:2h}") Duration lead) {
		this.rights = rights;
		this.lead = lead.isNegative() ? Duration.ZERO : lead;
		this.holds = holds;
		this.durations = durations;
		this.services = services;
		this.booking = booking;
		this.lifecycle = lifecycle;
		this.availability = availability;
		this.patients = patients;
		this.consents = consents;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.clock = clock;
	}

	/** What a patient sends: the chosen time and who they are. */
	public record Order(long branchId, long serviceId, long staffId, Instant start, String surname, String name,
			String phone, boolean consent, @Nullable String holdToken, Booking.Source source) {
	}

	/** What the patient is told back. */
	public record Confirmation(long appointmentId, String code, Instant start, Instant end, long staffId,
			long serviceId, long branchId) {
	}

	/**
	 * Checks what the patient typed: a refusal names every field that is wrong (as
	 * message keys by field), nothing is booked then.
	 */
	public static Map<String, String> check(String surname, String name, String phone, boolean consent) {
		Map<String, String> wrong = new java.util.LinkedHashMap<>();
		// As the card will keep them: without invisible and control characters.
		name = java.util.Objects.requireNonNull(dev.klinika.shared.PlainText.clean(name));
		surname = java.util.Objects.requireNonNull(dev.klinika.shared.PlainText.clean(surname));
		if (name.isBlank() || name.length() > 100) {
			wrong.put("name", name.isBlank() ? "online.error.name" : "online.error.long");
		}
		if (surname.length() > 100) {
			wrong.put("surname", "online.error.long");
		}
		Optional<PhoneNumber> number = phone.length() > 30 ? Optional.empty() : PhoneNumber.parse(phone);
		if (number.isEmpty()) {
			wrong.put("phone", "online.error.phone");
		}
		if (!consent) {
			wrong.put("consent", "online.error.consent");
		}
		return wrong;
	}

	/**
	 * Free start times a patient may book themselves, by staff member: the booking
	 * engine's, from the clinic's minimum lead time on
	 * ({@code klinika.booking.min-lead-time}, 2 hours unless set), so that nobody arrives
	 * to a visit the clinic learnt of minutes before.
	 */
	public Map<Long, List<Instant>> freeTimes(long branchId, long serviceId, @Nullable Long staffId, LocalDate from,
			LocalDate to) {
		Instant earliest = earliest();
		Map<Long, List<Instant>> free = new java.util.LinkedHashMap<>();
		this.availability.freeSlotsFor(branchId, serviceId, staffId, from, to)
			.forEach((staff, starts) -> free.put(staff,
					starts.stream().filter(start -> !start.isBefore(earliest)).toList()));
		return free;
	}

	/** The first moment a patient may book now. */
	public Instant earliest() {
		return this.clock.instant().plus(this.lead);
	}

	private void checkLead(Instant start) {
		if (start.isBefore(earliest())) {
			throw new BookingRefused("TOO_SOON");
		}
	}

	/**
	 * Holds a free time for the patient filling the form; a time that is not free (or
	 * held by someone else) is "just taken".
	 */
	public String hold(long branchId, long serviceId, long staffId, Instant start, java.time.ZoneId zone) {
		checkLead(start);
		LocalDate day = start.atZone(zone).toLocalDate();
		boolean free = this.availability.freeSlotsFor(branchId, serviceId, staffId, day, day)
			.getOrDefault(staffId, List.of())
			.contains(start);
		String token = free
				? this.holds.hold(staffId,
						TimeSpan.of(start, this.durations.of(staffId, this.services.findById(serviceId).orElseThrow())))
				: null;
		if (token == null) {
			throw new SlotTaken(List.of());
		}
		return token;
	}

	/**
	 * Finds or registers the patient of an order, in a transaction of its own: call it
	 * before {@link #book(Order, long)}, outside any transaction. A booking waiting on a
	 * rival's time must hold no other locks (two new patients with one surname would
	 * otherwise deadlock), and one request must never hold two pooled connections. Orders
	 * from one phone are registered one after another, so a retried request finds the
	 * card its first attempt made.
	 */
	public Registered patientFor(Order order) {
		Map<String, String> wrong = check(order.surname(), order.name(), order.phone(), order.consent());
		if (!wrong.isEmpty()) {
			throw new BookingRefused("INVALID_ORDER");
		}
		PhoneNumber phone = PhoneNumber.parse(order.phone()).orElseThrow();
		return this.transaction.execute(status -> {
			this.jdbc.sql("select pg_advisory_xact_lock(4244, hashtext(:phone))")
				.param("phone", phone.e164())
				.query()
				.listOfRows();
			return patientFor(order, phone);
		});
	}

	/** The patient of an order, and whether this order made their card. */
	public record Registered(long id, boolean created) {
	}

	/**
	 * Finds or registers the order's patient ({@link #patientFor(Order)}) and books with
	 * them; when the booking fails (the time was taken, a rule refused it), a card this
	 * order made is removed again, with its consent: nothing of the person is kept
	 * without the visit they gave it for.
	 */
	public <T> T withPatient(Order order, java.util.function.LongFunction<T> booking) {
		Registered patient = patientFor(order);
		try {
			return booking.apply(patient.id());
		}
		catch (RuntimeException ex) {
			if (patient.created()) {
				discard(patient.id());
			}
			throw ex;
		}
	}

	private void discard(long patient) {
		try {
			this.transaction.executeWithoutResult(status -> this.rights.discard(patient));
		}
		catch (org.springframework.dao.DataIntegrityViolationException ex) {
			// Booked meanwhile by a second request of the same person: the card is
			// theirs.
		}
	}

	/**
	 * Books the order for its patient; a refusal or "just taken" leaves nothing behind. A
	 * card made for a time someone else then took stays: the person did give their
	 * details and consent.
	 */
	public Confirmation book(Order order, long patient) {
		checkLead(order.start());
		return this.transaction.execute(status -> {
			// The code goes in with the row: updating the row at once would recheck the
			// exclusion
			// constraints against rival bookings in flight and could deadlock with them.
			String code = newCode();
			Appointment appointment = this.booking.book(new Booking.Request(patient, order.serviceId(), order.staffId(),
					order.branchId(), order.start(), null, order.source(), order.holdToken(), null, code));
			return new Confirmation(appointment.id(), code, appointment.time().start(), appointment.time().end(),
					appointment.staffId(), appointment.serviceId(), appointment.branchId());
		});
	}

	/** The booking behind a patient's secret code, while it stands. */
	public Optional<Confirmation> byCode(String code) {
		if (!code.matches("[A-Za-z0-9_-]{16,40}")) {
			return Optional.empty();
		}
		return this.jdbc.sql("""
				select id, lower(during) as s, upper(during) as e, staff_id, service_id, branch_id from appointment
				 where public_code = :code and status <> 'CANCELLED'
				""")
			.param("code", code)
			.query((rs, n) -> new Confirmation(rs.getLong("id"), code,
					rs.getObject("s", java.time.OffsetDateTime.class).toInstant(),
					rs.getObject("e", java.time.OffsetDateTime.class).toInstant(), rs.getLong("staff_id"),
					rs.getLong("service_id"), rs.getLong("branch_id")))
			.optional();
	}

	/**
	 * Cancels the booking behind a patient's code at their request, until it starts; a
	 * visit already cancelled or begun is not found.
	 */
	public Optional<Confirmation> cancel(String code) {
		return changeable(code).map(done -> {
			this.lifecycle.cancel(done.appointmentId(), CancelReason.PATIENT_ASKED.name());
			return done;
		});
	}

	/**
	 * Moves the booking behind a patient's code to another free time (with the same or
	 * another specialist), under the rules of a booking and the minimum lead time.
	 */
	public Optional<Confirmation> move(String code, long staffId, Instant start) {
		checkLead(start);
		return changeable(code).map(done -> {
			this.booking.move(done.appointmentId(), start, staffId);
			return byCode(code).orElseThrow();
		});
	}

	/**
	 * The booking behind a code while it has not started; refused when it has gone past
	 * booked or confirmed (the patient came).
	 */
	private Optional<Confirmation> changeable(String code) {
		return byCode(code).filter(done -> done.start().isAfter(this.clock.instant())).map(done -> {
			if (!this.booking.find(done.appointmentId()).orElseThrow().status().movable()) {
				throw new BookingRefused("NOT_MOVABLE");
			}
			return done;
		});
	}

	/** An answer kept under an idempotency key: its HTTP status and JSON body. */
	public record Kept(int status, String body) {
	}

	/**
	 * Runs the request once per key: the first request's answer is kept for a day and
	 * given back to every retry with the same content; a key reused for another request
	 * is refused. Two copies arriving at once: the second waits on the key's row for the
	 * first to finish, then gets its answer. A request that fails keeps nothing, so it
	 * may be retried.
	 */
	public Kept once(String key, String fingerprint, Supplier<Kept> request) {
		if (key.isBlank() || key.length() > 100) {
			throw new BookingRefused("IDEMPOTENCY_KEY");
		}
		return this.transaction.execute(status -> {
			this.jdbc.sql("delete from booking_idempotency where created_at < now() - interval '1 day'").update();
			int inserted = this.jdbc.sql("""
					insert into booking_idempotency (key, fingerprint, status, body) values (:key, :fingerprint, 0, '')
					on conflict (key) do nothing
					""").param("key", key).param("fingerprint", fingerprint).update();
			if (inserted == 0) {
				Map<String, Object> kept = this.jdbc
					.sql("select fingerprint, status, body from booking_idempotency where key = :key")
					.param("key", key)
					.query()
					.singleRow();
				if (!fingerprint.equals(kept.get("fingerprint"))) {
					throw new BookingRefused("IDEMPOTENCY_REUSED");
				}
				return new Kept(((Number) kept.get("status")).intValue(), (String) kept.get("body"));
			}
			Kept answer = request.get();
			this.jdbc.sql("update booking_idempotency set status = :status, body = :body where key = :key")
				.param("status", answer.status())
				.param("body", answer.body())
				.param("key", key)
				.update();
			return answer;
		});
	}

	/**
	 * The patient with this phone and first name, or a new card with the consent to
	 * process personal data that the form recorded. A relative sharing the phone gets a
	 * card of their own; the duplicates list shows the shared phone.
	 */
	private Registered patientFor(Order order, PhoneNumber phone) {
		List<Long> same = this.jdbc.sql("""
				select p.id from patients_card_v p join patients_phone_v ph on ph.patient_id = p.id
				 where ph.number = :phone and p.merged_into is null and p.erased_at is null
				   and lower(p.name) = lower(:name)
				 order by p.id
				""")
			.param("phone", phone.e164())
			.param("name", dev.klinika.shared.PlainText.clean(order.name()))
			.query(Long.class)
			.list();
		if (!same.isEmpty()) {
			return new Registered(same.get(0), false);
		}
		String cleanSurname = java.util.Objects.requireNonNull(dev.klinika.shared.PlainText.clean(order.surname()));
		String surname = cleanSurname.isBlank() ? "—" : cleanSurname;
		var patient = this.patients
			.register(PatientDetails.named(surname, dev.klinika.shared.PlainText.clean(order.name()), order.branchId())
				.withPhones(List.of(phone))
				.withTags(Set.of("онлайн-запись")));
		this.consents.give(patient.getId(), ConsentKind.PERSONAL_DATA, this.clock.instant(), ConsentChannel.ONLINE_FORM,
				order.source().name().toLowerCase(java.util.Locale.ROOT));
		return new Registered(patient.getId(), true);
	}

	private static String newCode() {
		byte[] bytes = new byte[18];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
