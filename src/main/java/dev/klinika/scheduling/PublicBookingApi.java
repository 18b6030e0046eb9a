package dev.klinika.scheduling;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.apache.commons.codec.digest.DigestUtils;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Online booking for clinic websites: branches, services, staff, free times, a short hold
 * on a time, and the booking itself with an {@code Idempotency-Key}, so that a retried
 * request books once. No login; CORS for the configured origins; a rate limit per
 * address. Errors are RFC 9457 problem details in the caller's language.
 */
@RestController
@RequestMapping(path = "/api/public/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Online booking", description = "Book a visit from the clinic's website")
class PublicBookingApi {

	/** The longest period of free times one request asks for. */
	static final int MAX_DAYS = 14;

	private final PublicCatalog catalog;

	private final OnlineBooking online;

	private final BookingQueries queries;

	private final MessageSource messages;

	private final JsonMapper json;

	private final org.springframework.beans.factory.ObjectProvider<Prepayments> prepayments;

	private final SlotHolds holds;

	PublicBookingApi(PublicCatalog catalog, OnlineBooking online, BookingQueries queries, MessageSource messages,
			JsonMapper json, org.springframework.beans.factory.ObjectProvider<Prepayments> prepayments,
			SlotHolds holds) {
		this.prepayments = prepayments;
		this.holds = holds;
		this.catalog = catalog;
		this.online = online;
		this.queries = queries;
		this.messages = messages;
		this.json = json;
	}

	@GetMapping("/branches")
	@Operation(summary = "Open branches of the clinic")
	List<PublicCatalog.BranchInfo> branches() {
		return this.catalog.branches();
	}

	@GetMapping("/services")
	@Operation(summary = "Services one can book in a branch, with duration and today's price")
	List<PublicCatalog.ServiceInfo> services(@RequestParam long branch) {
		return this.catalog.services(this.catalog.branch(branch).id());
	}

	@GetMapping("/staff")
	@Operation(summary = "Specialists of a branch who do a service")
	List<BookingQueries.StaffOption> staff(@RequestParam long branch, @RequestParam long service) {
		this.catalog.service(this.catalog.branch(branch).id(), service);
		return this.queries.staff(branch, service);
	}

	/** A free start time with a specialist. */
	record Slot(long staff, Instant start) {
	}

	@GetMapping("/free-slots")
	@Operation(summary = "Free start times for a service, with one specialist or anyone, over at most 14 days")
	List<Slot> freeSlots(@RequestParam long branch, @RequestParam long service,
			@Parameter(description = "A specialist, or leave out for anyone") @RequestParam(
					required = false) @Nullable Long staff,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
		if (to.isBefore(from) || to.isAfter(from.plusDays(MAX_DAYS - 1))) {
			throw new BookingRefused("RANGE_PUBLIC");
		}
		this.catalog.service(this.catalog.branch(branch).id(), service);
		return this.online.freeTimes(branch, service, staff, from, to)
			.entrySet()
			.stream()
			.flatMap(entry -> entry.getValue().stream().map(start -> new Slot(entry.getKey(), start)))
			.sorted(java.util.Comparator.comparing(Slot::start).thenComparing(Slot::staff))
			.toList();
	}

	/** The time a patient is about to book. */
	record HoldBody(long branch, long service, long staff, java.time.OffsetDateTime start) {
	}

	/** A hold: its token goes with the booking. */
	record HoldAnswer(String token, Instant expiresAt) {
	}

	@PostMapping("/holds")
	@Operation(summary = "Hold a free time for a few minutes while the patient fills the form")
	ResponseEntity<HoldAnswer> hold(@RequestBody HoldBody body) {
		ZoneId zone = this.catalog.branch(body.branch()).zone();
		this.catalog.service(body.branch(), body.service());
		String token = this.online.hold(body.branch(), body.service(), body.staff(),
				dev.klinika.scheduling.BranchTime.of(body.start(), zone), zone);
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new HoldAnswer(token, Instant.now().plus(SlotHolds.HOLD)));
	}

	/**
	 * A booking from a website; {@code website} must stay empty (it is a trap for bots).
	 */
	record BookingBody(long branch, long service, long staff, java.time.@Nullable OffsetDateTime start,
			@Nullable String surname, @Nullable String name, @Nullable String phone, boolean consent,
			@Nullable String hold, @Nullable String website) {
	}

	/** A booked visit as the website shows it. */
	record Booked(long id, Instant start, Instant end, long staff, long service, long branch, String calendar) {
	}

	@PostMapping("/bookings")
	@Operation(summary = "Book a visit; retried requests with the same Idempotency-Key book once")
	ResponseEntity<String> book(@Parameter(
			description = "A unique key per booking attempt, reused on retries") @RequestHeader("Idempotency-Key") String key,
			@RequestBody BookingBody body, jakarta.servlet.http.HttpServletRequest request) {
		Locale locale = languageOf(request);
		if (body.website() != null && !body.website().isBlank()) {
			throw new BookingRefused("SPAM");
		}
		// A missing field is an empty one (never the text "null"), refused by name below.
		String name = body.name() == null ? "" : body.name();
		String phone = body.phone() == null ? "" : body.phone();
		Map<String, String> wrong = new java.util.LinkedHashMap<>(
				OnlineBooking.check(body.surname() == null ? "" : body.surname(), name, phone, body.consent()));
		if (body.start() == null) {
			wrong.put("start", "online.error.start");
		}
		if (!wrong.isEmpty()) {
			ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "online.error.title", "online.error.fields",
					locale);
			Map<String, String> fields = new java.util.LinkedHashMap<>();
			wrong.forEach((field, messageKey) -> fields.put(field, text(messageKey, locale)));
			problem.setProperty("errors", fields);
			return json(HttpStatus.BAD_REQUEST, problem);
		}
		this.catalog.service(this.catalog.branch(body.branch()).id(), body.service());
		Instant start = dev.klinika.scheduling.BranchTime.of(java.util.Objects.requireNonNull(body.start()),
				this.catalog.branch(body.branch()).zone());
		OnlineBooking.Order order = new OnlineBooking.Order(body.branch(), body.service(), body.staff(), start,
				body.surname() == null ? "" : body.surname(), name, phone, body.consent(), body.hold(),
				Booking.Source.WEBSITE);
		Prepayments offered = this.prepayments.getIfAvailable();
		LocalDate day = start.atZone(this.catalog.branch(body.branch()).zone()).toLocalDate();
		if (offered != null && offered.required(body.branch(), body.service(), day).isPresent()) {
			return prepay(offered, key, body, order);
		}
		OnlineBooking.Kept kept = this.online.withPatient(order,
				patient -> this.online.once(key, fingerprint(body), () -> {
					OnlineBooking.Confirmation done = this.online.book(order, patient);
					Booked booked = new Booked(done.appointmentId(), done.start(), done.end(), done.staffId(),
							done.serviceId(), done.branchId(), "/book/visit/" + done.code() + ".ics");
					return new OnlineBooking.Kept(HttpStatus.CREATED.value(), this.json.writeValueAsString(booked));
				}));
		return ResponseEntity.status(kept.status()).contentType(MediaType.APPLICATION_JSON).body(kept.body());
	}

	/** A payment to make before the visit is booked: where to pay and where to ask. */
	record PaymentRequired(String status, String payment, java.math.BigDecimal amount, String currency,
			String confirmationUrl, String statusUrl) {
	}

	/**
	 * A service with a prepayment books only on a hold (the time kept while the patient
	 * pays): the answer is 202 with the provider's page for the patient and the payment's
	 * status URL, which gives the booking once paid. Retries with the same key answer the
	 * same payment.
	 */
	private ResponseEntity<String> prepay(Prepayments offered, String key, BookingBody body,
			OnlineBooking.Order order) {
		if (body.hold() == null || !this.holds.extend(body.hold(), SlotHolds.PAYMENT_HOLD)) {
			throw new BookingRefused("HOLD_REQUIRED");
		}
		OnlineBooking.Registered patient = this.online.patientFor(order);
		OnlineBooking.Kept kept = this.online.once(key, fingerprint(body), () -> {
			Prepayments.Started started;
			try {
				started = offered.start(this.catalog.prepayment(order, patient.id()));
			}
			catch (Prepayments.Unavailable unavailable) {
				throw new BookingRefused("PAYMENT_UNAVAILABLE");
			}
			return new OnlineBooking.Kept(HttpStatus.ACCEPTED.value(),
					this.json.writeValueAsString(new PaymentRequired("payment_required", started.key(),
							started.amount().amount(), started.amount().currency().getCurrencyCode(),
							started.confirmationUrl(), "/api/public/v1/payments/" + started.key())));
		});
		return ResponseEntity.status(kept.status()).contentType(MediaType.APPLICATION_JSON).body(kept.body());
	}

	private String fingerprint(BookingBody body) {
		return DigestUtils.sha256Hex(body.toString());
	}

	@ExceptionHandler(SlotTaken.class)
	ProblemDetail taken(SlotTaken taken, jakarta.servlet.http.HttpServletRequest request) {
		Locale locale = languageOf(request);
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "booking.taken.title", "booking.taken.short", locale);
		problem.setProperty("reason", "TAKEN");
		// The nearest free times, so that the site can offer them at once.
		problem.setProperty("alternatives", taken.alternatives());
		return problem;
	}

	@ExceptionHandler(BookingRefused.class)
	ProblemDetail refused(BookingRefused refused, jakarta.servlet.http.HttpServletRequest request) {
		Locale locale = languageOf(request);
		HttpStatus status = "IDEMPOTENCY_REUSED".equals(refused.reason()) ? HttpStatus.UNPROCESSABLE_CONTENT
				: HttpStatus.BAD_REQUEST;
		ProblemDetail problem = problem(status, "booking.refused.title", "booking.refused." + refused.reason(), locale);
		problem.setProperty("reason", refused.reason());
		return problem;
	}

	@ExceptionHandler({ HttpMessageNotReadableException.class, MissingServletRequestParameterException.class,
			MethodArgumentTypeMismatchException.class, MissingRequestHeaderException.class })
	ProblemDetail malformed(Exception ex, jakarta.servlet.http.HttpServletRequest request) {
		Locale locale = languageOf(request);
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "online.error.title", "online.error.malformed", locale);
		problem.setProperty("reason", ex instanceof MissingRequestHeaderException ? "IDEMPOTENCY_KEY" : "MALFORMED");
		return problem;
	}

	@ExceptionHandler(java.util.NoSuchElementException.class)
	ProblemDetail unknown(java.util.NoSuchElementException ex, jakarta.servlet.http.HttpServletRequest request) {
		Locale locale = languageOf(request);
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "online.error.title", "online.error.unknown", locale);
		problem.setProperty("reason", "UNKNOWN");
		return problem;
	}

	/**
	 * The caller's language from Accept-Language (a website has no session to keep a
	 * choice in); Russian when it does not say.
	 */
	static Locale languageOf(jakarta.servlet.http.HttpServletRequest request) {
		return dev.klinika.shared.Problems.languageOf(request);
	}

	private ProblemDetail problem(HttpStatus status, String title, String detail, Locale locale) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, text(detail, locale));
		problem.setTitle(text(title, locale));
		return problem;
	}

	private String text(String key, Locale locale) {
		return this.messages.getMessage(key, null, key, locale);
	}

	private ResponseEntity<String> json(HttpStatus status, ProblemDetail problem) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(this.json.writeValueAsString(problem));
	}

	@GetMapping(path = "/bookings/{code}", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "A booking by the code in its calendar link")
	Booked booking(@PathVariable String code) {
		OnlineBooking.Confirmation done = this.online.byCode(code).orElseThrow();
		return new Booked(done.appointmentId(), done.start(), done.end(), done.staffId(), done.serviceId(),
				done.branchId(), "/book/visit/" + done.code() + ".ics");
	}

}
