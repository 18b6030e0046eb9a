package dev.klinika.catalog;

import java.time.LocalDate;
import java.time.Clock;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
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

import dev.klinika.organization.ClinicProfile;
import dev.klinika.organization.Specialties;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.Money;

/** The service catalog: a filtered list, the service form and its price history. */
@Controller
@RequestMapping("/catalog/services")
class ServiceController {

	private final CatalogManagement catalog;

	private final CatalogQueries queries;

	private final ServiceCategories categories;

	private final Specialties specialties;

	private final ClinicProfile clinic;

	private final CurrentUser currentUser;

	private final Clock clock;

	ServiceController(CatalogManagement catalog, CatalogQueries queries, ServiceCategories categories,
			Specialties specialties, ClinicProfile clinic, CurrentUser currentUser, Clock clock) {
		this.catalog = catalog;
		this.queries = queries;
		this.categories = categories;
		this.specialties = specialties;
		this.clinic = clinic;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	@ModelAttribute("canEdit")
	boolean canEdit() {
		return this.currentUser.may(HttpMethod.POST, "/catalog/services");
	}

	@ModelAttribute("currency")
	String currency() {
		return this.clinic.current().getCurrency().getCurrencyCode();
	}

	@GetMapping
	String list(@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false) @Nullable Long category,
			@RequestParam(required = false) @Nullable Long specialty,
			@RequestParam(defaultValue = "false") boolean inactive,
			@RequestHeader(name = "HX-Request", required = false) @Nullable String htmx, Model model) {
		model.addAttribute("services", this.queries.services(q, category, specialty, inactive));
		model.addAttribute("q", q);
		model.addAttribute("category", category);
		model.addAttribute("specialty", specialty);
		model.addAttribute("inactive", inactive);
		model.addAttribute("categories", this.categories.findAllSorted());
		model.addAttribute("specialties", this.specialties.findActive());
		return htmx != null ? "catalog/services :: rows" : "catalog/services";
	}

	@GetMapping("/new")
	String newService(Model model) {
		model.addAttribute("form", new ServiceForm());
		return formPage(null, model);
	}

	@PostMapping
	String create(@Valid @ModelAttribute("form") ServiceForm form, BindingResult result, Model model,
			RedirectAttributes redirect) {
		if (form.getPrice() == null && !result.hasFieldErrors("price")) {
			result.rejectValue("price", "validation.required");
		}
		checkReferences(form, null, result);
		if (result.hasErrors()) {
			return formPage(null, model);
		}
		try {
			MedicalService service = this.catalog.add(form.definition(),
					new Money(form.getPrice(), this.clinic.current().getCurrency()));
			redirect.addFlashAttribute("flashKey", "flash.service.created");
			redirect.addFlashAttribute("flashArg", service.getName());
			return "redirect:/catalog/services/" + service.getId();
		}
		catch (DuplicateKeyException ex) {
			result.rejectValue("code", "validation.duplicate.code");
			return formPage(null, model);
		}
	}

	@GetMapping("/{id}")
	String show(@PathVariable long id, Model model) {
		MedicalService service = this.catalog.find(id).orElseThrow();
		model.addAttribute("form", ServiceForm.of(service));
		return formPage(service, model);
	}

	@PostMapping("/{id}")
	String update(@PathVariable long id, @Valid @ModelAttribute("form") ServiceForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		MedicalService service = this.catalog.find(id).orElseThrow();
		checkReferences(form, id, result);
		if (result.hasErrors()) {
			return formPage(service, model);
		}
		try {
			this.catalog.update(id, form.getVersion(), form.definition());
		}
		catch (DuplicateKeyException ex) {
			result.rejectValue("code", "validation.duplicate.code");
			return formPage(service, model);
		}
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/catalog/services/" + id;
	}

	@PostMapping("/{id}/price")
	String changePrice(@PathVariable long id, @Valid @ModelAttribute("priceForm") PriceForm priceForm,
			BindingResult result, Model model, RedirectAttributes redirect) {
		MedicalService service = this.catalog.find(id).orElseThrow();
		if (priceForm.getValidFrom() != null && priceForm.getValidFrom().isBefore(LocalDate.now(this.clock))) {
			result.rejectValue("validFrom", "validation.price.past");
		}
		if (result.hasErrors()) {
			model.addAttribute("form", ServiceForm.of(service));
			return formPage(service, model);
		}
		this.catalog.changePrice(id, new Money(priceForm.getPrice(), this.clinic.current().getCurrency()),
				priceForm.getValidFrom());
		redirect.addFlashAttribute("flashKey", "flash.price.changed");
		return "redirect:/catalog/services/" + id + "#prices";
	}

	@PostMapping("/{id}/deactivate")
	String deactivate(@PathVariable long id, RedirectAttributes redirect) {
		this.catalog.setActive(id, false);
		redirect.addFlashAttribute("flashKey", "flash.deactivated");
		return "redirect:/catalog/services/" + id;
	}

	@PostMapping("/{id}/activate")
	String activate(@PathVariable long id, RedirectAttributes redirect) {
		this.catalog.setActive(id, true);
		redirect.addFlashAttribute("flashKey", "flash.activated");
		return "redirect:/catalog/services/" + id;
	}

	private void checkReferences(ServiceForm form, @Nullable Long id, BindingResult result) {
		if (!result.hasFieldErrors("code") && this.catalog.codeTaken(form.getCode(), id)) {
			result.rejectValue("code", "validation.duplicate.code");
		}
		if (form.getSpecialtyId() != null && this.specialties.findById(form.getSpecialtyId()).isEmpty()) {
			result.rejectValue("specialtyId", "validation.unknown");
		}
		if (form.getCategoryId() != null && this.categories.findById(form.getCategoryId()).isEmpty()) {
			result.rejectValue("categoryId", "validation.unknown");
		}
	}

	private String formPage(@Nullable MedicalService service, Model model) {
		model.addAttribute("service", service);
		model.addAttribute("categories", this.categories.findAllSorted());
		model.addAttribute("specialties", this.specialties.findAllSorted());
		model.addAttribute("repeatUnits", RepeatUnit.values());
		model.addAttribute("roomKinds", dev.klinika.organization.RoomKind.values());
		if (service != null) {
			model.addAttribute("prices", this.queries.priceHistory(service.getId()));
			model.addAttribute("currentPrice",
					this.queries.priceOn(service.getId(), LocalDate.now(this.clock)).orElse(null));
		}
		if (!model.containsAttribute("priceForm")) {
			PriceForm priceForm = new PriceForm();
			priceForm.setValidFrom(LocalDate.now(this.clock));
			model.addAttribute("priceForm", priceForm);
		}
		return "catalog/service";
	}

}
