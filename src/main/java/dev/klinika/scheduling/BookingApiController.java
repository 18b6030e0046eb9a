package dev.klinika.scheduling;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.klinika.security.CurrentUser;

/**
 * Free slots and booking as JSON for the staff screens (session and CSRF, like every
 * page). Refusals are RFC 9457 problem details: 400 with the broken rule, 409 "this time
 * was just taken" with the nearest free times.
 */
@RestController
@RequestMapping("/scheduling/api")
class BookingApiController {

	private final Booking booking;

	private final Availability availability;

	private final MessageSource messages;

	private final CurrentUser currentUser;

	private final dev.klinika.organization.Branches branches;

	private final dev.klinika.patients.PatientManagement patients;

	private final dev.klinika.scheduling.VisibleAppointments appointments;

	BookingApiController(Booking booking, Availability availability, MessageSource messages, CurrentUser currentUser,
			dev.klinika.organization.Branches branches, dev.klinika.patients.PatientManagement patients,
			dev.klinika.scheduling.VisibleAppointments appointments) {
		this.appointments = appointments;
		this.patients = patients;
		this.branches = branches;
		this.booking = booking;
		this.availability = availability;
		this.messages = messages;
		this.currentUser = currentUser;
	}

	@GetMapping("/free-slots")
	List<Instant> freeSlots(@RequestParam long staff, @RequestParam long branch, @RequestParam long service,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
		if (to.isBefore(from) || to.isAfter(from.plusDays(31))) {
			throw new BookingRefused("RANGE");
		}
		inScope(branch);
		return this.availability.freeSlots(staff, branch, service, from, to);
	}

	/** What a booking needs, as JSON. */
	record BookingBody(long patient, long service, long staff, long branch, java.time.OffsetDateTime start,
			@Nullable Long room) {
	}

	@PostMapping("/appointments")
	ResponseEntity<Appointment> book(@RequestBody BookingBody body) {
		inScope(body.branch());
		this.patients.require(body.patient());
		Appointment appointment = this.booking.book(new Booking.Request(body.patient(), body.service(), body.staff(),
				body.branch(), dev.klinika.scheduling.BranchTime.of(body.start(), zoneOf(body.branch())), body.room()));
		return ResponseEntity.created(URI.create("/scheduling/api/appointments/" + appointment.id())).body(appointment);
	}

	/** Where an appointment moves to. */
	record MoveBody(java.time.OffsetDateTime start, long staff) {
	}

	@PostMapping("/appointments/{id}/move")
	Appointment move(@org.springframework.web.bind.annotation.PathVariable long id, @RequestBody MoveBody body) {
		Appointment appointment = this.appointments.require(id);
		return this.booking.move(appointment.id(),
				dev.klinika.scheduling.BranchTime.of(body.start(), zoneOf(appointment.branchId())), body.staff());
	}

	private java.time.ZoneId zoneOf(long branch) {
		return this.branches.findById(branch).orElseThrow(() -> new BookingRefused("UNKNOWN_BRANCH")).getZone();
	}

	/** A login books only in its own branches: another branch does not exist for it. */
	private void inScope(long branch) {
		if (!this.currentUser.scope().includes(branch)) {
			throw new BookingRefused("UNKNOWN_BRANCH");
		}
	}

	@ExceptionHandler(SlotTaken.class)
	ProblemDetail taken(SlotTaken taken, Locale locale) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				this.messages.getMessage("booking.taken", null, locale));
		problem.setTitle(this.messages.getMessage("booking.taken.title", null, locale));
		problem.setProperty("alternatives", taken.alternatives());
		return problem;
	}

	@ExceptionHandler({ IllegalStateException.class, dev.klinika.shared.ConcurrentChange.class })
	ProblemDetail changed(RuntimeException ex, Locale locale) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				this.messages.getMessage("appointment.changedMeanwhile", null, locale));
		problem.setProperty("reason", "CHANGED");
		return problem;
	}

	/** Another branch's card or visit is not there for this login. */
	@ExceptionHandler(java.util.NoSuchElementException.class)
	ProblemDetail notFound(Locale locale) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				this.messages.getMessage("error.404.text", null, "Not found", locale));
		problem.setProperty("reason", "NOT_FOUND");
		return problem;
	}

	@ExceptionHandler(BookingRefused.class)
	ProblemDetail refused(BookingRefused refused, Locale locale) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, this.messages
			.getMessage("booking.refused." + refused.reason(), null, "booking.refused." + refused.reason(), locale));
		problem.setTitle(this.messages.getMessage("booking.refused.title", null, locale));
		problem.setProperty("reason", refused.reason());
		return problem;
	}

}
