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

import dev.klinika.security.CurrentUser;

/** Categories of the catalog, added and renamed on one page. */
@Controller
@RequestMapping("/catalog/categories")
class CategoryController {

	private final CatalogManagement catalog;

	private final ServiceCategories categories;

	private final CurrentUser currentUser;

	CategoryController(CatalogManagement catalog, ServiceCategories categories, CurrentUser currentUser) {
		this.catalog = catalog;
		this.categories = categories;
		this.currentUser = currentUser;
	}

	@ModelAttribute("canEdit")
	boolean canEdit() {
		return this.currentUser.may(HttpMethod.POST, "/catalog/categories");
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("form", new CategoryForm());
		return page(model);
	}

	@PostMapping
	String create(@Valid @ModelAttribute("form") CategoryForm form, BindingResult result, Model model,
			RedirectAttributes redirect) {
		if (!result.hasFieldErrors("name") && this.catalog.categoryNameTaken(form.getName(), null)) {
			result.rejectValue("name", "validation.duplicate.name");
		}
		if (result.hasErrors()) {
			return page(model);
		}
		this.catalog.addCategory(form.getName(), form.getPosition());
		redirect.addFlashAttribute("flashKey", "flash.category.created");
		redirect.addFlashAttribute("flashArg", form.getName().trim());
		return "redirect:/catalog/categories";
	}

	@PostMapping("/{id}")
	String rename(@PathVariable long id, @Valid @ModelAttribute("renameForm") CategoryForm form, BindingResult result,
			RedirectAttributes redirect) {
		this.categories.findById(id).orElseThrow();
		if (result.hasErrors()) {
			redirect.addFlashAttribute("flashErrorKey", "validation.required");
		}
		else if (this.catalog.categoryNameTaken(form.getName(), id)) {
			redirect.addFlashAttribute("flashErrorKey", "validation.duplicate.name");
		}
		else {
			this.catalog.renameCategory(id, form.getName(), form.getPosition());
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		return "redirect:/catalog/categories";
	}

	@PostMapping("/{id}/deactivate")
	String deactivate(@PathVariable long id, RedirectAttributes redirect) {
		this.catalog.setCategoryActive(id, false);
		redirect.addFlashAttribute("flashKey", "flash.deactivated");
		return "redirect:/catalog/categories";
	}

	@PostMapping("/{id}/activate")
	String activate(@PathVariable long id, RedirectAttributes redirect) {
		this.catalog.setCategoryActive(id, true);
		redirect.addFlashAttribute("flashKey", "flash.activated");
		return "redirect:/catalog/categories";
	}

	private String page(Model model) {
		model.addAttribute("categories", this.categories.findAllSorted());
		return "catalog/categories";
	}

}
