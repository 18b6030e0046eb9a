package dev.klinika.scheduling;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.klinika.shared.Money;

/**
 * The patients' own booking page, phone first: a service, then a specialist or anyone,
 * then a day and a time (held for a few minutes), then name, phone and consent, then a
 * confirmation with a calendar file. No login.
 */
@Controller
class PublicBookingPage {

	/** How many days ahead a patient may book online. */
	static final int DAYS = 14;

	private final PublicCatalog catalog;

	private final OnlineBooking online;

	private final BookingQueries queries;

	private final CalendarFeeds calendars;

	private final Clock clock;

	private final org.springframework.beans.factory.ObjectProvider<Prepayments> prepayments;

	private final SlotHolds holds;

	PublicBookingPage(PublicCatalog catalog, OnlineBooking online, BookingQueries queries, CalendarFeeds calendars,
			Clock clock, org.springframework.beans.factory.ObjectProvider<Prepayments> prepayments, SlotHolds holds) {
		this.prepayments = prepayments;
		this.holds = holds;
		this.catalog = catalog;
		this.online = online;
		this.queries = queries;
		this.calendars = calendars;
		this.clock = clock;
	}

	@GetMapping("/book")
	String branches(Model model) {
		List<PublicCatalog.BranchInfo> branches = this.catalog.branches();
		if (branches.size() == 1) {
			return "redirect:/book/" + branches.get(0).id();
		}
		model.addAttribute("branches", branches);
		return "public/branches";
	}

	@GetMapping("/book/{branch}")
	String services(@PathVariable long branch, Model model) {
		model.addAttribute("branch", this.catalog.branch(branch));
		Map<String, List<PublicCatalog.ServiceInfo>> byCategory = new LinkedHashMap<>();
		this.catalog.services(branch)
			.forEach(service -> byCategory
				.computeIfAbsent(service.category() == null ? "" : service.category(), key -> new ArrayList<>())
				.add(service));
		model.addAttribute("categories", byCategory);
		model.addAttribute("currency", this.catalog.currency());
		model.addAttribute("sellsPackages", !forSale().isEmpty());
		return "public/services";
	}

	/** The packages the clinic sells online, from the money module. */
	private List<Prepayments.OnlinePackage> forSale() {
		Prepayments offered = this.prepayments.getIfAvailable();
		return offered == null ? List.of() : offered.packagesForSale();
	}

	private Prepayments.OnlinePackage forSale(long product) {
		return forSale().stream().filter(p -> p.id() == product).findFirst().orElseThrow();
	}

	/** The packages a patient may buy here, paid online at once. */
	@GetMapping("/book/{branch}/packages")
	String packages(@PathVariable long branch, Model model) {
		model.addAttribute("branch", this.catalog.branch(branch));
		model.addAttribute("packages", forSale());
		return "public/packages";
	}

	@GetMapping("/book/{branch}/packages/{product}")
	String packageForm(@PathVariable long branch, @PathVariable long product, Model model) {
		model.addAttribute("branch", this.catalog.branch(branch));
		model.addAttribute("pkg", forSale(product));
		// The form's own token: sent twice, it is one purchase.
		model.addAttribute("token", java.util.UUID.randomUUID().toString());
		model.addAttribute("surname", "");
		model.addAttribute("name", "");
		model.addAttribute("phone", "");
		model.addAttribute("errors", Map.of());
		return "public/package-buy";
	}

	/**
	 * A package bought online: the buyer's card found or made as for a booking (with the
	 * consent they gave), then the provider's page to pay the whole price on.
	 */
	@PostMapping("/book/{branch}/packages/{product}")
	String buyPackage(@PathVariable long branch, @PathVariable long product, @RequestParam String token,
			@RequestParam(defaultValue = "") String surname, @RequestParam(defaultValue = "") String name,
			@RequestParam(defaultValue = "") String phone, @RequestParam(defaultValue = "false") boolean consent,
			@RequestParam(defaultValue = "") String website, Model model) {
		if (!website.isBlank()) {
			throw new BookingRefused("SPAM");
		}
		PublicCatalog.BranchInfo place = this.catalog.branch(branch);
		Prepayments.OnlinePackage pkg = forSale(product);
		if (!token.matches("[A-Za-z0-9_-]{16,64}")) {
			throw new BookingRefused("INVALID_ORDER");
		}
		Map<String, String> errors = OnlineBooking.check(surname, name, phone, consent);
		model.addAttribute("branch", place);
		model.addAttribute("pkg", pkg);
		if (!errors.isEmpty()) {
			model.addAttribute("token", token);
			model.addAttribute("surname", surname);
			model.addAttribute("name", name);
			model.addAttribute("phone", phone);
			model.addAttribute("errors", errors);
			return "public/package-buy";
		}
		// Only who the buyer is counts here: no service, specialist or time.
		long patient = this.online
			.patientFor(new OnlineBooking.Order(branch, 0, 0, this.clock.instant(), surname, name, phone, consent, null,
					Booking.Source.ONLINE))
			.id();
		try {
			model.addAttribute("started", this.prepayments.getObject()
				.startPackage(
						new Prepayments.PackageOrder(token, patient, branch, product, PublicCatalog.paymentReturn())));
		}
		catch (Prepayments.Unavailable unavailable) {
			model.addAttribute("problem", "prepay.unavailable");
			return "public/problem";
		}
		return "public/pay";
	}

	@GetMapping("/book/{branch}/{service}")
	String times(@PathVariable long branch, @PathVariable long service,
			@RequestParam(required = false) @Nullable Long staff,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate day,
			@RequestParam(required = false) @Nullable String error,
			@RequestParam(required = false) @Nullable String move, Model model) {
		PublicCatalog.BranchInfo place = this.catalog.branch(branch);
		if (move != null) {
			booked(move, branch, service);
		}
		LocalDate today = LocalDate.now(this.clock.withZone(place.zone()));
		LocalDate last = today.plusDays(DAYS - 1);
		Map<Long, List<Instant>> free = this.online.freeTimes(branch, this.catalog.service(branch, service).id(), staff,
				today, last);
		// Each time once, with the first specialist free then.
		Map<Instant, Long> times = new java.util.TreeMap<>();
		free.forEach((who, starts) -> starts.forEach(start -> times.putIfAbsent(start, who)));
		List<LocalDate> days = new ArrayList<>();
		for (LocalDate d = today; !d.isAfter(last); d = d.plusDays(1)) {
			LocalDate date = d;
			if (times.keySet().stream().anyMatch(start -> start.atZone(place.zone()).toLocalDate().equals(date))) {
				days.add(date);
			}
		}
		LocalDate chosen = day != null && days.contains(day) ? day : days.isEmpty() ? null : days.get(0);
		Map<Instant, Long> ofDay = new LinkedHashMap<>();
		times.forEach((start, who) -> {
			if (start.atZone(place.zone()).toLocalDate().equals(chosen)) {
				ofDay.put(start, who);
			}
		});
		model.addAttribute("branch", place);
		model.addAttribute("service", this.catalog.service(branch, service));
		model.addAttribute("staffOptions", this.queries.staff(branch, service));
		model.addAttribute("staff", staff);
		model.addAttribute("days", days);
		model.addAttribute("day", chosen);
		model.addAttribute("times", ofDay);
		model.addAttribute("zone", place.zone());
		model.addAttribute("error", error);
		model.addAttribute("move", move);
		return "public/times";
	}

	@PostMapping("/book/{branch}/{service}/hold")
	String hold(@PathVariable long branch, @PathVariable long service, @RequestParam long staff,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant start,
			@RequestParam(required = false) @Nullable Long chosenStaff,
			@RequestParam(required = false) @Nullable String move) {
		ZoneId zone = this.catalog.branch(branch).zone();
		this.catalog.service(branch, service);
		if (move != null) {
			return moveTo(move, branch, service, staff, start, chosenStaff, zone);
		}
		try {
			String token = this.online.hold(branch, service, staff, start, zone);
			return "redirect:/book/" + branch + "/" + service + "/details?hold=" + token + "&staff=" + staff + "&start="
					+ start;
		}
		catch (SlotTaken taken) {
			return "redirect:/book/" + branch + "/" + service + "?error=taken&day=" + start.atZone(zone).toLocalDate()
					+ (chosenStaff != null ? "&staff=" + chosenStaff : "");
		}
	}

	@GetMapping("/book/{branch}/{service}/details")
	String details(@PathVariable long branch, @PathVariable long service, @RequestParam String hold,
			@RequestParam long staff, @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant start,
			Model model) {
		describe(model, branch, service, staff, start, hold);
		model.addAttribute("surname", "");
		model.addAttribute("name", "");
		model.addAttribute("phone", "");
		model.addAttribute("errors", Map.of());
		model.addAttribute("prepay", prepayment(branch, service, start).orElse(null));
		return "public/details";
	}

	@PostMapping("/book/{branch}/{service}/confirm")
	String confirm(@PathVariable long branch, @PathVariable long service, @RequestParam String hold,
			@RequestParam long staff, @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant start,
			@RequestParam(defaultValue = "") String surname, @RequestParam(defaultValue = "") String name,
			@RequestParam(defaultValue = "") String phone, @RequestParam(defaultValue = "false") boolean consent,
			@RequestParam(defaultValue = "") String website, Model model) {
		if (!website.isBlank()) {
			throw new BookingRefused("SPAM");
		}
		Map<String, String> errors = OnlineBooking.check(surname, name, phone, consent);
		if (!errors.isEmpty()) {
			describe(model, branch, service, staff, start, hold);
			model.addAttribute("surname", surname);
			model.addAttribute("name", name);
			model.addAttribute("phone", phone);
			model.addAttribute("errors", errors);
			model.addAttribute("prepay", prepayment(branch, service, start).orElse(null));
			return "public/details";
		}
		Optional<Money> prepay = prepayment(branch, service, start);
		if (prepay.isPresent()) {
			return pay(new OnlineBooking.Order(branch, service, staff, start, surname, name, phone, consent, hold,
					Booking.Source.ONLINE), model);
		}
		try {
			// A second press of the button, or a reload, books once: the hold is the key.
			OnlineBooking.Order order = new OnlineBooking.Order(branch, service, staff, start, surname, name, phone,
					consent, hold, Booking.Source.ONLINE);
			OnlineBooking.Kept kept = this.online.withPatient(order,
					patient -> this.online.once("hold:" + hold, surname + "|" + name + "|" + phone,
							() -> new OnlineBooking.Kept(201, this.online.book(order, patient).code())));
			return "redirect:/book/visit/" + kept.body();
		}
		catch (SlotTaken taken) {
			return "redirect:/book/" + branch + "/" + service + "?error=expired&day="
					+ start.atZone(this.catalog.branch(branch).zone()).toLocalDate();
		}
	}

	/** The deposit this service asks online, when the clinic takes prepayments. */
	private Optional<Money> prepayment(long branch, long service, Instant start) {
		Prepayments offered = this.prepayments.getIfAvailable();
		return offered == null ? Optional.empty()
				: offered.required(branch, service, start.atZone(this.catalog.branch(branch).zone()).toLocalDate());
	}

	/**
	 * A booking with a prepayment: the patient's card as for any online booking, the time
	 * kept while they pay, and a page with the amount and the way to the provider's page
	 * (a form may not lead off the site, so the patient follows a link). The same hold
	 * sent again gives the same payment; a hold gone by then is "choose again".
	 */
	private String pay(OnlineBooking.Order order, Model model) {
		String hold = java.util.Objects.requireNonNull(order.holdToken());
		if (!this.holds.extend(hold, SlotHolds.PAYMENT_HOLD)) {
			return "redirect:/book/" + order.branchId() + "/" + order.serviceId() + "?error=expired&day="
					+ order.start().atZone(this.catalog.branch(order.branchId()).zone()).toLocalDate();
		}
		OnlineBooking.Registered patient = this.online.patientFor(order);
		Prepayments.Started started;
		try {
			started = this.prepayments.getObject().start(this.catalog.prepayment(order, patient.id()));
		}
		catch (Prepayments.Unavailable unavailable) {
			describe(model, order.branchId(), order.serviceId(), order.staffId(), order.start(), hold);
			model.addAttribute("problem", "prepay.unavailable");
			return "public/problem";
		}
		describe(model, order.branchId(), order.serviceId(), order.staffId(), order.start(), hold);
		model.addAttribute("started", started);
		model.addAttribute("holdMinutes", SlotHolds.PAYMENT_HOLD.toMinutes());
		return "public/pay";
	}

	private String moveTo(String code, long branch, long service, long staff, Instant start, @Nullable Long chosenStaff,
			ZoneId zone) {
		booked(code, branch, service);
		try {
			this.online.move(code, staff, start).orElseThrow();
			return "redirect:/book/visit/" + code + "?moved";
		}
		catch (SlotTaken taken) {
			return "redirect:/book/" + branch + "/" + service + "?error=taken&move=" + code + "&day="
					+ start.atZone(zone).toLocalDate() + (chosenStaff != null ? "&staff=" + chosenStaff : "");
		}
	}

	/** The patient cancels their booking themselves; the time is free again at once. */
	@PostMapping("/book/visit/{code}/cancel")
	String cancel(@PathVariable String code, Model model) {
		describe(model, this.online.cancel(code).orElseThrow());
		return "public/cancelled";
	}

	@GetMapping("/book/visit/{code}")
	String visit(@PathVariable String code, @RequestParam(required = false) @Nullable String moved, Model model) {
		OnlineBooking.Confirmation done = this.online.byCode(code).orElseThrow();
		describe(model, done);
		model.addAttribute("staffName", this.queries.staffName(done.staffId()).orElse(""));
		model.addAttribute("moved", moved != null);
		model.addAttribute("changeable", done.start().isAfter(this.online.earliest()));
		Prepayments offered = this.prepayments.getIfAvailable();
		model.addAttribute("paid", offered == null ? null : offered.paid(done.appointmentId()).orElse(null));
		return "public/visit";
	}

	@GetMapping("/book/visit/{code}.ics")
	ResponseEntity<String> visitCalendar(@PathVariable String code) {
		return this.calendars.visit(code)
			.map(ics -> ResponseEntity.ok()
				.contentType(new MediaType("text", "calendar", java.nio.charset.StandardCharsets.UTF_8))
				.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"visit.ics\"")
				.body(ics))
			.orElseThrow();
	}

	@org.springframework.web.bind.annotation.ExceptionHandler(BookingRefused.class)
	@org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.BAD_REQUEST)
	String refused(BookingRefused refused, Model model) {
		model.addAttribute("problem", "booking.refused." + refused.reason());
		return "public/problem";
	}

	/**
	 * The booking behind a patient's code, when it is of this branch and service: moving
	 * it happens on its own service's page, any other is not found.
	 */
	private OnlineBooking.Confirmation booked(String code, long branch, long service) {
		return this.online.byCode(code)
			.filter(done -> done.branchId() == branch && done.serviceId() == service)
			.orElseThrow();
	}

	/** What a booking's pages show of it: when, what and where. */
	private void describe(Model model, OnlineBooking.Confirmation done) {
		PublicCatalog.BranchInfo place = this.catalog.branch(done.branchId());
		model.addAttribute("done", done);
		model.addAttribute("branch", place);
		model.addAttribute("service", this.catalog.service(place.id(), done.serviceId()));
		model.addAttribute("zone", place.zone());
	}

	private void describe(Model model, long branch, long service, long staff, Instant start, String hold) {
		PublicCatalog.BranchInfo place = this.catalog.branch(branch);
		model.addAttribute("branch", place);
		model.addAttribute("service", this.catalog.service(branch, service));
		model.addAttribute("staffId", staff);
		model.addAttribute("staffName", this.queries.staffName(staff).orElseThrow());
		model.addAttribute("start", start);
		model.addAttribute("zone", place.zone());
		model.addAttribute("hold", hold);
		model.addAttribute("holdMinutes", SlotHolds.HOLD.toMinutes());
	}

}
