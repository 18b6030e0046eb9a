package dev.klinika.scheduling;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.organization.OrganizationQueries.BranchOption;
import dev.klinika.patients.PatientSearch;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.ConcurrentChange;

/**
 * The reception's booking screens: book from a free cell of the grid, open a visit to
 * change its state, move or cancel it (or the rest of its course), a staff member's week,
 * and a course in one step.
 */
@Controller
class AppointmentController {

	private final Booking booking;

	private final AppointmentLifecycle lifecycle;

	private final Courses courses;

	private final BookingQueries queries;

	private final PatientSearch patients;

	private final OrganizationQueries organization;

	private final DayGrid grid;

	private final dev.klinika.patients.PatientManagement cards;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	private final Clock clock;

	private final dev.klinika.security.Colleagues colleagues;

	private final dev.klinika.scheduling.VisibleAppointments appointments;

	private final org.springframework.beans.factory.ObjectProvider<Prepayments> prepayments;

	AppointmentController(Booking booking, AppointmentLifecycle lifecycle, Courses courses, BookingQueries queries,
			PatientSearch patients, OrganizationQueries organization, DayGrid grid,
			dev.klinika.patients.PatientManagement cards, CurrentUser currentUser, AuditLog audit, Clock clock,
			dev.klinika.security.Colleagues colleagues, dev.klinika.scheduling.VisibleAppointments appointments,
			org.springframework.beans.factory.ObjectProvider<Prepayments> prepayments) {
		this.prepayments = prepayments;
		this.appointments = appointments;
		this.colleagues = colleagues;
		this.cards = cards;
		this.booking = booking;
		this.lifecycle = lifecycle;
		this.courses = courses;
		this.queries = queries;
		this.patients = patients;
		this.organization = organization;
		this.grid = grid;
		this.currentUser = currentUser;
		this.audit = audit;
		this.clock = clock;
	}

	@GetMapping("/scheduling/book")
	String bookForm(@RequestParam long branch, @RequestParam long staff,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant start,
			@RequestParam(required = false) @Nullable Long patient,
			@RequestParam(required = false) @Nullable Long service, Model model) {
		describe(model, branchOption(branch), staff, start, patient, service);
		return "scheduling/book";
	}

	/** Patients found as one types, to choose from (htmx). */
	@GetMapping("/scheduling/book/patients")
	String findPatients(@RequestParam(defaultValue = "") String q, Model model) {
		model.addAttribute("found", q.isBlank() ? null : this.patients.search(q, this.currentUser.scope(), 0, 8));
		return "scheduling/book :: patients";
	}

	@PostMapping("/scheduling/book")
	String book(@RequestParam long branch, @RequestParam long staff,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant start,
			@RequestParam(required = false) @Nullable Long patient,
			@RequestParam(required = false) @Nullable Long service, Model model, RedirectAttributes redirect) {
		BranchOption option = branchOption(branch);
		if (patient == null || service == null) {
			describe(model, option, staff, start, patient, service);
			model.addAttribute("error", patient == null ? "book.choosePatient" : "book.chooseService");
			return "scheduling/book";
		}
		this.cards.require(patient);
		try {
			Appointment booked = this.booking.book(new Booking.Request(patient, service, staff, branch, start, null));
			redirect.addFlashAttribute("flashKey", "flash.booked");
			redirect.addFlashAttribute("flashArg", localTime(booked.time().start(), option.zone()));
			warnIfElsewhere(booked, redirect);
			return "redirect:/scheduling/day?branch=" + branch + "&date=" + start.atZone(option.zone()).toLocalDate();
		}
		catch (SlotTaken taken) {
			describe(model, option, staff, start, patient, service);
			model.addAttribute("error", "booking.taken");
			model.addAttribute("alternatives", taken.alternatives());
			return "scheduling/book";
		}
		catch (BookingRefused refused) {
			describe(model, option, staff, start, patient, service);
			model.addAttribute("error", "booking.refused." + refused.reason());
			return "scheduling/book";
		}
	}

	@GetMapping("/scheduling/appointments/{id}")
	String appointment(@PathVariable long id, Model model) {
		Appointment appointment = visible(id);
		BranchOption option = branchOption(appointment.branchId());
		this.audit.record("APPOINTMENT_VIEWED", "appointment", id, null);
		model.addAttribute("view", this.queries.view(appointment).orElseThrow());
		model.addAttribute("a", appointment);
		model.addAttribute("zone", option.zone());
		model.addAttribute("next",
				appointment.status().next().stream().filter(status -> status != AppointmentStatus.CANCELLED).toList());
		model.addAttribute("reasons", CancelReason.values());
		// Checkout is billing's page, reached by its address.
		model.addAttribute("mayCheckout", appointment.status() != AppointmentStatus.CANCELLED
				&& this.currentUser.may(org.springframework.http.HttpMethod.POST, "/billing/visits/" + id));
		model.addAttribute("staffOptions", this.queries.staff(appointment.branchId(), appointment.serviceId()));
		model.addAttribute("handoffOwners", this.colleagues.of(appointment.branchId()));
		model.addAttribute("day", appointment.time().start().atZone(option.zone()).toLocalDate());
		model.addAttribute("time", localTime(appointment.time().start(), option.zone()));
		model.addAttribute("elsewhere",
				this.booking.patientElsewhere(appointment.patientId(), appointment.time(), appointment.id()));
		// The prescription is the care module's page, reached by its address.
		model.addAttribute("mayPrescribe", appointment.status() != AppointmentStatus.CANCELLED
				&& this.currentUser.may(org.springframework.http.HttpMethod.POST, "/care/visits/" + id + "/prescribe"));
		Prepayments money = this.prepayments.getIfAvailable();
		model.addAttribute("prepaid", money == null ? null : money.paid(id).orElse(null));
		return "scheduling/appointment";
	}

	@PostMapping("/scheduling/appointments/{id}/status")
	String status(@PathVariable long id, @RequestParam AppointmentStatus to,
			@RequestParam(defaultValue = "") String back, RedirectAttributes redirect) {
		visible(id);
		String done = afterChange(id, redirect, () -> {
			switch (to) {
				case CONFIRMED -> this.lifecycle.confirm(id);
				case CHECKED_IN -> this.lifecycle.checkIn(id);
				case IN_PROGRESS -> this.lifecycle.start(id);
				case COMPLETED -> this.lifecycle.complete(id);
				case NO_SHOW -> this.lifecycle.markNoShow(id);
				default -> throw new IllegalStateException("Not by this button: " + to);
			}
		});
		// The home page's one-click actions return to the home page.
		return "home".equals(back) ? "redirect:/" : done;
	}

	/**
	 * The schedule as a doctor opens it: their own week in the branch they work in (the
	 * chosen one, else their first), and the branch grid for a login that is nobody's
	 * schedule.
	 */
	@GetMapping("/scheduling/mine")
	String mine() {
		Long staff = this.currentUser.require().staffId();
		if (staff == null) {
			return "redirect:/scheduling/day";
		}
		var branches = this.organization.branchOptions();
		long branch = this.currentUser.selectedBranch()
			.orElseGet(() -> this.queries.branchesOf(staff)
				.stream()
				.filter(id -> branches.stream().anyMatch(b -> b.id() == id))
				.findFirst()
				.orElse(branches.get(0).id()));
		return "redirect:/scheduling/week?branch=" + branch + "&staff=" + staff;
	}

	@PostMapping("/scheduling/appointments/{id}/cancel")
	String cancel(@PathVariable long id, @RequestParam(defaultValue = "") String reason,
			@RequestParam(defaultValue = "false") boolean rest, RedirectAttributes redirect) {
		visible(id);
		return afterChange(id, redirect, () -> {
			if (rest) {
				this.courses.cancelRest(id, reason);
			}
			else {
				this.lifecycle.cancel(id, reason);
			}
		});
	}

	@PostMapping("/scheduling/appointments/{id}/move")
	String move(@PathVariable long id, @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.TIME) LocalTime time, @RequestParam long staff,
			@RequestParam(defaultValue = "false") boolean rest, RedirectAttributes redirect) {
		Appointment appointment = visible(id);
		ZoneId zone = branchOption(appointment.branchId()).zone();
		return afterChange(id, redirect, () -> {
			Instant start = dev.klinika.scheduling.BranchTime.local(date, time, zone);
			if (rest) {
				this.courses.moveRest(id, start, staff);
			}
			else {
				this.booking.move(id, start, staff);
			}
		});
	}

	@GetMapping("/scheduling/week")
	String week(@RequestParam long branch, @RequestParam long staff,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate date,
			@RequestParam(required = false) @Nullable Long patient, Model model) {
		BranchOption option = branchOption(branch);
		BookFor.describe(model, this.cards, patient);
		LocalDate monday = (date != null ? date : LocalDate.now(this.clock.withZone(option.zone())))
			.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
		model.addAttribute("branch", option);
		model.addAttribute("staffName", this.queries.staffName(staff).orElseThrow());
		model.addAttribute("staffId", staff);
		model.addAttribute("grid", this.grid.weekOf(branch, option.zone(), staff, monday));
		model.addAttribute("statuses", AppointmentStatus.values());
		model.addAttribute("canBook",
				this.currentUser.may(org.springframework.http.HttpMethod.POST, "/scheduling/book"));
		return "scheduling/week";
	}

	@GetMapping("/scheduling/course")
	String courseForm(@RequestParam long branch, @RequestParam(required = false) @Nullable Long staff,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant start,
			@RequestParam(required = false) @Nullable Long patient,
			@RequestParam(required = false) @Nullable Long service,
			@RequestParam(required = false) @Nullable Integer sessions,
			@RequestParam(required = false) @Nullable Set<DayOfWeek> days,
			@RequestParam(required = false) @Nullable String back, Model model) {
		BranchOption option = branchOption(branch);
		Instant first = start != null ? start : this.clock.instant().plus(java.time.Duration.ofDays(1));
		CourseForm form = new CourseForm();
		form.setPatient(patient);
		form.setService(service);
		form.setStaff(staff);
		form.setFirstDay(first.atZone(option.zone()).toLocalDate());
		form.setTime(first.atZone(option.zone()).toLocalTime().withSecond(0).withNano(0));
		form.setDays(days != null && !days.isEmpty() ? EnumSet.copyOf(days)
				: EnumSet.of(first.atZone(option.zone()).getDayOfWeek()));
		if (sessions != null && sessions >= 1 && sessions <= Courses.MAX_SESSIONS) {
			form.setSessions(sessions);
		}
		describeCourse(model, option, form);
		model.addAttribute("back", backOf(back));
		return "scheduling/course";
	}

	/**
	 * A page of this application to return to after booking a course (a pathway's, a
	 * card's, a task's), or null: nothing else is followed.
	 */
	static @Nullable String backOf(@Nullable String back) {
		return back != null && back.matches("/(care/pathways|patients|tasks)/\\d{1,18}") ? back : null;
	}

	@PostMapping("/scheduling/course")
	String course(@RequestParam long branch, CourseForm form, @RequestParam(defaultValue = "plan") String action,
			@RequestParam(required = false) @Nullable String back, Model model, RedirectAttributes redirect) {
		BranchOption option = branchOption(branch);
		describeCourse(model, option, form);
		model.addAttribute("back", backOf(back));
		String missing = form.missing();
		if (missing != null) {
			model.addAttribute("error", missing);
			return "scheduling/course";
		}
		this.cards.require(java.util.Objects.requireNonNull(form.getPatient()));
		try {
			Courses.Request request = form.request(branch);
			Courses.Plan plan = "book".equals(action) ? this.courses.book(request) : this.courses.plan(request);
			if (plan.seriesId() != null) {
				redirect.addFlashAttribute("flashKey", "flash.course.booked");
				redirect.addFlashAttribute("flashArg", plan.sessions().size());
				String to = backOf(back);
				return to != null ? "redirect:" + to
						: "redirect:/scheduling/appointments/" + plan.sessions().get(0).appointmentId();
			}
			model.addAttribute("plan", plan);
			if (!plan.bookable()) {
				model.addAttribute("error", "course.conflicts");
			}
		}
		catch (BookingRefused refused) {
			model.addAttribute("error", "booking.refused." + refused.reason());
		}
		return "scheduling/course";
	}

	private void describeCourse(Model model, BranchOption option, CourseForm form) {
		model.addAttribute("branch", option);
		model.addAttribute("form", form);
		model.addAttribute("services", this.queries.services(form.getStaff(), option.id()));
		model.addAttribute("staffOptions", this.queries.staff(option.id(), form.getService()));
		model.addAttribute("weekdays", DayOfWeek.values());
		model.addAttribute("chosenName", chosenName(form.getPatient()));
		model.addAttribute("zone", option.zone());
		model.addAttribute("staffNames", this.queries.staff(option.id(), null));
	}

	private void describe(Model model, BranchOption option, long staff, Instant start, @Nullable Long patient,
			@Nullable Long service) {
		model.addAttribute("branch", option);
		model.addAttribute("staffId", staff);
		model.addAttribute("staffName", this.queries.staffName(staff).orElseThrow());
		model.addAttribute("start", start);
		model.addAttribute("startLocal", start.atZone(option.zone()).toLocalDateTime());
		model.addAttribute("zone", option.zone());
		model.addAttribute("services", this.queries.services(staff, option.id()));
		model.addAttribute("service", service);
		model.addAttribute("patient", patient);
		model.addAttribute("chosenName", chosenName(patient));
	}

	private @Nullable String chosenName(@Nullable Long patient) {
		return patient == null ? null
				: this.cards.find(patient).filter(p -> !p.isErased()).map(p -> p.getFullName()).orElse(null);
	}

	private String afterChange(long id, RedirectAttributes redirect, Runnable change) {
		try {
			change.run();
			redirect.addFlashAttribute("flashKey", "flash.saved");
			redirect.addFlashAttribute("flashArg", "");
		}
		catch (SlotTaken taken) {
			redirect.addFlashAttribute("flashErrorKey", "booking.taken.short");
		}
		catch (BookingRefused refused) {
			redirect.addFlashAttribute("flashErrorKey", "booking.refused." + refused.reason());
		}
		catch (IllegalStateException | ConcurrentChange ex) {
			redirect.addFlashAttribute("flashErrorKey", "appointment.changedMeanwhile");
		}
		return "redirect:/scheduling/appointments/" + id;
	}

	private void warnIfElsewhere(Appointment booked, RedirectAttributes redirect) {
		List<Appointment> elsewhere = this.booking.patientElsewhere(booked.patientId(), booked.time(), booked.id());
		if (!elsewhere.isEmpty()) {
			redirect.addFlashAttribute("flashErrorKey", "book.patientElsewhere");
		}
	}

	/**
	 * An appointment of one of the login's branches; another branch's does not exist
	 * here.
	 */
	private Appointment visible(long id) {
		return this.appointments.require(id);
	}

	private BranchOption branchOption(long branch) {
		return this.organization.branchOption(branch)
			.orElseThrow(() -> new NoSuchElementException("Branch " + branch + " is outside the login's branches"));
	}

	private static String localTime(Instant instant, ZoneId zone) {
		return instant.atZone(zone).toLocalTime().toString();
	}

}
