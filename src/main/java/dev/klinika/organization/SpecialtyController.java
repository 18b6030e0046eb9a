package dev.klinika.organization;

import jakarta.validation.Valid;

import org.springframework.dao.DuplicateKeyException;
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

/** The list of specialties, added and renamed on one page. */
@Controller
@RequestMapping("/organization/specialties")
class SpecialtyController {

	private final StaffManagement staff;

	private final Specialties specialties;

	private final CurrentUser currentUser;

	SpecialtyController(StaffManagement staff, Specialties specialties, CurrentUser currentUser) {
		this.staff = staff;
		this.specialties = specialties;
		this.currentUser = currentUser;
	}

	@ModelAttribute("canEdit")
	boolean canEdit() {
		return this.currentUser.may(HttpMethod.POST, "/organization/specialties");
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("form", new SpecialtyForm());
		return page(model);
	}

	@PostMapping
	String create(@Valid @ModelAttribute("form") SpecialtyForm form, BindingResult result, Model model,
			RedirectAttributes redirect) {
		if (!result.hasErrors() && this.staff.specialtyNameTaken(form.getName(), null)) {
			result.rejectValue("name", "validation.duplicate.name");
		}
		if (result.hasErrors()) {
			return page(model);
		}
		try {
			this.staff.addSpecialty(form.getName());
		}
		catch (DuplicateKeyException ex) {
			result.rejectValue("name", "validation.duplicate.name");
			return page(model);
		}
		redirect.addFlashAttribute("flashKey", "flash.specialty.created");
		redirect.addFlashAttribute("flashArg", form.getName().trim());
		return "redirect:/organization/specialties";
	}

	@PostMapping("/{id}")
	String rename(@PathVariable long id, @Valid @ModelAttribute("renameForm") SpecialtyForm form, BindingResult result,
			RedirectAttributes redirect) {
		if (result.hasErrors()) {
			redirect.addFlashAttribute("flashErrorKey", "validation.required");
		}
		else if (this.staff.specialtyNameTaken(form.getName(), id)) {
			redirect.addFlashAttribute("flashErrorKey", "validation.duplicate.name");
		}
		else {
			this.staff.renameSpecialty(id, form.getName());
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		return "redirect:/organization/specialties";
	}

	@PostMapping("/{id}/deactivate")
	String deactivate(@PathVariable long id, RedirectAttributes redirect) {
		this.staff.setSpecialtyActive(id, false);
		redirect.addFlashAttribute("flashKey", "flash.deactivated");
		return "redirect:/organization/specialties";
	}

	@PostMapping("/{id}/activate")
	String activate(@PathVariable long id, RedirectAttributes redirect) {
		this.staff.setSpecialtyActive(id, true);
		redirect.addFlashAttribute("flashKey", "flash.activated");
		return "redirect:/organization/specialties";
	}

	private String page(Model model) {
		model.addAttribute("specialties", this.specialties.findAllSorted());
		return "organization/specialties";
	}

}
