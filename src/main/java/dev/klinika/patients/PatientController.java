package dev.klinika.patients;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.security.CurrentUser;

/**
 * Search, the patient card and its form, with a warning before saving a likely duplicate.
 */
@Controller
@RequestMapping("/patients")
class PatientController {

	static final int PAGE_SIZE = 50;

	private final PatientManagement patients;

	private final PatientSearch search;

	private final DuplicateCheck duplicates;

	private final Consents consents;

	private final Timeline timeline;

	private final dev.klinika.patients.Family family;

	private final PatientSources sources;

	private final OrganizationQueries organization;

	private final CurrentUser currentUser;

	private final Clock clock;

	private final List<CardPanelContributor> panels;

	PatientController(PatientManagement patients, PatientSearch search, DuplicateCheck duplicates, Consents consents,
			Timeline timeline, dev.klinika.patients.Family family, PatientSources sources,
			OrganizationQueries organization, CurrentUser currentUser, Clock clock, List<CardPanelContributor> panels) {
		this.panels = List.copyOf(panels);
		this.family = family;
		this.patients = patients;
		this.search = search;
		this.duplicates = duplicates;
		this.consents = consents;
		this.timeline = timeline;
		this.sources = sources;
		this.organization = organization;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	@ModelAttribute("canEdit")
	boolean canEdit() {
		return this.currentUser.may(HttpMethod.POST, "/patients");
	}

	@ModelAttribute("canRights")
	boolean canRights() {
		return this.currentUser.may(HttpMethod.GET, "/patients/0/rights");
	}

	/** The money page (billing's): a link by address, no call into billing. */
	@ModelAttribute("canMoney")
	boolean canMoney() {
		return this.currentUser.may(HttpMethod.GET, "/billing/patients/0");
	}

	@ModelAttribute("canImport")
	boolean canImport() {
		return this.currentUser.may(HttpMethod.GET, "/patients/import");
	}

	@ModelAttribute("canMerge")
	boolean canMerge() {
		return this.currentUser.may(HttpMethod.GET, "/patients/duplicates");
	}

	@GetMapping
	String list(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "0") int page,
			@RequestHeader(name = "HX-Request", required = false) @Nullable String htmx, Model model) {
		int safePage = Math.max(0, Math.min(page, 10_000));
		var results = this.search.search(q, this.currentUser.workingScope(), safePage * PAGE_SIZE, PAGE_SIZE);
		model.addAttribute("q", q);
		model.addAttribute("results", results);
		model.addAttribute("page", safePage);
		model.addAttribute("from", results.rows().isEmpty() ? 0 : safePage * PAGE_SIZE + 1);
		model.addAttribute("to", safePage * PAGE_SIZE + results.rows().size());
		model.addAttribute("hasNext", results.total() > (long) (safePage + 1) * PAGE_SIZE);
		return htmx != null ? "patients/list :: results" : "patients/list";
	}

	@GetMapping("/new")
	String newPatient(@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false) @Nullable String phone,
			@RequestParam(required = false) @Nullable String name,
			@RequestParam(required = false) @Nullable Long source, Model model) {
		PatientForm form = new PatientForm();
		this.currentUser.selectedBranch()
			.or(() -> this.organization.branchOptions().stream().findFirst().map(b -> b.id()))
			.ifPresent(form::setHomeBranchId);
		prefillFromQuery(form, q);
		// A lead or a caller becomes a card: the name they gave (one word is a first
		// name,
		// more are read as surname first), their number and the ad source they came by.
		if (name != null && !name.isBlank()) {
			if (name.strip().contains(" ")) {
				prefillFromQuery(form, name);
			}
			else {
				form.setName(capitalize(name.strip()));
			}
		}
		if (phone != null && !phone.isBlank()) {
			form.setPhone1(phone.strip());
		}
		if (source != null && this.sources.findById(source).isPresent()) {
			form.setSourceId(source);
		}
		model.addAttribute("form", form);
		return formPage(null, model);
	}

	@PostMapping
	String create(@Valid @ModelAttribute("form") PatientForm form, BindingResult result, Model model,
			RedirectAttributes redirect) {
		PatientDetails details = details(form, result);
		if (details == null) {
			return formPage(null, model);
		}
		var matches = this.duplicates.likely(details, null);
		if (!matches.isEmpty() && !form.isConfirmDuplicate()) {
			model.addAttribute("duplicates", matches);
			return formPage(null, model);
		}
		Patient patient = this.patients.register(details);
		redirect.addFlashAttribute("flashKey", "flash.patient.created");
		redirect.addFlashAttribute("flashArg", patient.getFullName());
		return "redirect:/patients/" + patient.getId();
	}

	@GetMapping("/{id}")
	String show(@PathVariable long id, Model model) {
		Patient patient = this.patients.view(id).orElseThrow();
		if (patient.getMergedInto() != null) {
			return "redirect:/patients/" + patient.getMergedInto();
		}
		LocalDate today = LocalDate.now(this.clock);
		model.addAttribute("patient", patient);
		model.addAttribute("age", patient.ageOn(today).orElse(null));
		model.addAttribute("branchName", branchNames().get(patient.getHomeBranchId()));
		model.addAttribute("zone",
				patient.getZone()
					.orElseGet(() -> this.organization.branchOption(patient.getHomeBranchId())
						.map(OrganizationQueries.BranchOption::zone)
						.orElse(this.clock.getZone())));
		model.addAttribute("consultantName",
				patient.getConsultantId() == null ? null : staffNames().get(patient.getConsultantId()));
		model.addAttribute("sourceName", patient.getSourceId() == null ? null
				: this.sources.findById(patient.getSourceId()).map(s -> s.getName()).orElse(null));
		model.addAttribute("consents", this.consents.of(id));
		model.addAttribute("relatives", this.family.of(id));
		model.addAttribute("relations", dev.klinika.patients.Relation.values());
		model.addAttribute("marketingAllowed", this.consents.marketingAllowed(id));
		Instant now = Instant.now(this.clock);
		Instant farAhead = now.plus(java.time.Duration.ofDays(800));
		// Visits first, as the reception reads a card: what comes next, then what was.
		var visits = this.timeline.page(id, farAhead, 60, kind -> kind.startsWith("VISIT_"));
		var upcoming = visits.stream()
			.filter(v -> CardVisits.ahead(v, now))
			.sorted(java.util.Comparator.comparing(dev.klinika.patients.TimelineEntry::at))
			.toList();
		var past = visits.stream().filter(v -> !CardVisits.ahead(v, now)).limit(CardVisits.PAST).toList();
		model.addAttribute("upcoming", upcoming);
		model.addAttribute("visits", CardVisits.listed(upcoming, past));
		var entries = this.timeline.page(id, farAhead, 100, kind -> !kind.startsWith("VISIT_"));
		model.addAttribute("timeline", entries);
		model.addAttribute("lastContact",
				entries.stream()
					.filter(e -> !e.at().isAfter(now) && CardVisits.contact(e.kind()))
					.findFirst()
					.orElse(null));
		model.addAttribute("panels",
				this.panels.stream().flatMap(contributor -> contributor.panel(id).stream()).toList());
		var open = this.timeline.open(id);
		model.addAttribute("openTasks", open);
		model.addAttribute("now", now);
		ConsentForm consentForm = new ConsentForm();
		consentForm.setGivenOn(today);
		model.addAttribute("consentForm", consentForm);
		model.addAttribute("consentKinds", ConsentKind.values());
		model.addAttribute("consentChannels", ConsentChannel.values());
		return "patients/card";
	}

	@GetMapping("/{id}/edit")
	String edit(@PathVariable long id, Model model) {
		Patient patient = this.patients.find(id).orElseThrow();
		if (patient.getMergedInto() != null) {
			return "redirect:/patients/" + patient.getMergedInto();
		}
		model.addAttribute("form", PatientForm.of(patient));
		return formPage(patient, model);
	}

	@PostMapping("/{id}")
	String update(@PathVariable long id, @Valid @ModelAttribute("form") PatientForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		Patient patient = this.patients.find(id).orElseThrow();
		PatientDetails details = details(form, result);
		if (details == null) {
			return formPage(patient, model);
		}
		var matches = this.duplicates.likely(details, id);
		if (!matches.isEmpty() && !form.isConfirmDuplicate()) {
			model.addAttribute("duplicates", matches);
			return formPage(patient, model);
		}
		this.patients.update(id, form.getVersion(), details);
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/patients/" + id;
	}

	/**
	 * Checks what bean validation cannot: phones, dates, zones, and references to known
	 * records.
	 */
	private @Nullable PatientDetails details(PatientForm form, BindingResult result) {
		var branches = branchNames();
		if (form.getHomeBranchId() != null && !branches.containsKey(form.getHomeBranchId())) {
			result.rejectValue("homeBranchId", "validation.unknown");
		}
		if (form.getConsultantId() != null && !staffNames().containsKey(form.getConsultantId())) {
			result.rejectValue("consultantId", "validation.unknown");
		}
		if (form.getSourceId() != null && this.sources.findById(form.getSourceId()).isEmpty()) {
			result.rejectValue("sourceId", "validation.unknown");
		}
		return form.details(LocalDate.now(this.clock), result);
	}

	/** What was typed in the search box becomes the phone or the name of the new card. */
	private static void prefillFromQuery(PatientForm form, @Nullable String q) {
		if (q == null || q.isBlank()) {
			return;
		}
		String text = q.trim();
		if (text.replaceAll("[\\s()+\\-.]", "").matches("\\d{10,15}")) {
			form.setPhone1(text);
			return;
		}
		String[] parts = text.split("\\s+");
		form.setSurname(capitalize(parts[0]));
		if (parts.length > 1) {
			form.setName(capitalize(parts[1]));
		}
		if (parts.length > 2) {
			form.setPatronymic(capitalize(parts[2]));
		}
	}

	private static String capitalize(String word) {
		return word.isEmpty() ? word : word.substring(0, 1).toUpperCase() + word.substring(1);
	}

	private Map<Long, String> branchNames() {
		return this.organization.branchOptions()
			.stream()
			.collect(Collectors.toMap(OrganizationQueries.BranchOption::id, OrganizationQueries.BranchOption::name));
	}

	private Map<Long, String> staffNames() {
		return this.organization.staff(this.currentUser.scope(), null, null, false)
			.stream()
			.collect(Collectors.toMap(OrganizationQueries.StaffRow::id, OrganizationQueries.StaffRow::fullName));
	}

	private String formPage(@Nullable Patient patient, Model model) {
		model.addAttribute("patient", patient);
		model.addAttribute("branches", this.organization.branchOptions());
		model.addAttribute("staff", this.organization.staff(this.currentUser.scope(), null, null, false));
		model.addAttribute("sources", this.sources.findAllSorted());
		model.addAttribute("sexes", Sex.values());
		model.addAttribute("channels", Channel.values());
		model.addAttribute("zones",
				List.of("Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
						"Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
						"Asia/Magadan", "Asia/Kamchatka"));
		if (!model.containsAttribute("duplicates")) {
			model.addAttribute("duplicates", List.of());
		}
		return "patients/form";
	}

}
