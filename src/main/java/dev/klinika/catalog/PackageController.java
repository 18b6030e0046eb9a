package dev.klinika.catalog;

import jakarta.validation.Valid;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.ClinicProfile;
import dev.klinika.security.CurrentUser;

/**
 * The catalog's package products: the list with a form for a new one, a product's page,
 * deactivation. What was sold keeps its terms; a change applies to the sales to come.
 */
@Controller
@RequestMapping("/catalog/packages")
class PackageController {

	private final PackageProducts products;

	private final CatalogQueries queries;

	private final ServiceCategories categories;

	private final CurrentUser currentUser;

	private final ClinicProfile clinic;

	PackageController(PackageProducts products, CatalogQueries queries, ServiceCategories categories,
			CurrentUser currentUser, ClinicProfile clinic) {
		this.products = products;
		this.queries = queries;
		this.categories = categories;
		this.currentUser = currentUser;
		this.clinic = clinic;
	}

	@ModelAttribute("canEdit")
	boolean canEdit() {
		return this.currentUser.may(HttpMethod.POST, "/catalog/packages");
	}

	@ModelAttribute("currency")
	String currency() {
		return this.clinic.current().getCurrency().getCurrencyCode();
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("form", new PackageForm());
		return page(model);
	}

	@PostMapping
	String create(@Valid @ModelAttribute("form") PackageForm form, BindingResult result, Model model,
			RedirectAttributes redirect) {
		check(form, result, null);
		if (result.hasErrors()) {
			return page(model);
		}
		long id = this.products.add(form.definition());
		redirect.addFlashAttribute("flashKey", "flash.package.created");
		redirect.addFlashAttribute("flashArg", form.getName().trim());
		return "redirect:/catalog/packages/" + id;
	}

	@GetMapping("/{id}")
	String show(@PathVariable long id, Model model) {
		PackageProducts.Product product = this.products.find(id).orElseThrow();
		model.addAttribute("form", PackageForm.of(product));
		return productPage(product, model);
	}

	@PostMapping("/{id}")
	String update(@PathVariable long id, @Valid @ModelAttribute("form") PackageForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		PackageProducts.Product product = this.products.find(id).orElseThrow();
		check(form, result, id);
		if (result.hasErrors()) {
			return productPage(product, model);
		}
		this.products.update(id, form);
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/catalog/packages/" + id;
	}

	@PostMapping("/{id}/deactivate")
	String deactivate(@PathVariable long id, RedirectAttributes redirect) {
		this.products.setActive(id, false);
		redirect.addFlashAttribute("flashKey", "flash.deactivated");
		return "redirect:/catalog/packages/" + id;
	}

	@PostMapping("/{id}/activate")
	String activate(@PathVariable long id, RedirectAttributes redirect) {
		this.products.setActive(id, true);
		redirect.addFlashAttribute("flashKey", "flash.activated");
		return "redirect:/catalog/packages/" + id;
	}

	/**
	 * What the annotations cannot say: a service or a category (one of them, existing and
	 * active), visits for a package of visits, a name no other product has.
	 */
	private void check(PackageForm form, BindingResult result, @org.jspecify.annotations.Nullable Long id) {
		if (form.getServiceId() == null && form.getCategoryId() == null) {
			result.rejectValue("serviceId", "package.target.required");
		}
		else if (form.getServiceId() != null && form.getCategoryId() != null) {
			result.rejectValue("serviceId", "package.target.one");
		}
		else if (form.getCategoryId() != null
				&& this.categories.findById(form.getCategoryId()).filter(ServiceCategory::isActive).isEmpty()) {
			result.rejectValue("categoryId", "package.target.unknown");
		}
		else if (form.getServiceId() != null && this.queries.names(java.util.List.of(form.getServiceId())).isEmpty()) {
			result.rejectValue("serviceId", "package.target.unknown");
		}
		if (form.getKind() == PackageProducts.Kind.VISITS && form.getVisits() == null
				&& !result.hasFieldErrors("visits")) {
			result.rejectValue("visits", "validation.required");
		}
		if (!result.hasFieldErrors("name") && !form.getName().isBlank()
				&& this.products.nameTaken(form.getName(), id)) {
			result.rejectValue("name", "validation.duplicate.name");
		}
	}

	private String page(Model model) {
		model.addAttribute("products", this.products.all());
		return options(model, "catalog/packages");
	}

	private String productPage(PackageProducts.Product product, Model model) {
		model.addAttribute("product", product);
		return options(model, "catalog/package");
	}

	private String options(Model model, String view) {
		model.addAttribute("services", this.queries.services(null, null, null, false));
		model.addAttribute("categories",
				this.categories.findAllSorted().stream().filter(ServiceCategory::isActive).toList());
		model.addAttribute("kinds", PackageProducts.Kind.values());
		model.addAttribute("validFroms", PackageProducts.ValidFrom.values());
		return view;
	}

}
