package dev.klinika.organization;

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

import dev.klinika.security.CurrentUser;
import dev.klinika.security.UserManagement;
import dev.klinika.shared.FormChecks;
import dev.klinika.shared.PhoneNumber;

/** Staff list with filters, and the staff card. */
@Controller
@RequestMapping("/organization/staff")
class StaffController {

	private final StaffManagement staff;

	private final OrganizationQueries queries;

	private final Specialties specialties;

	private final UserManagement users;

	private final CurrentUser currentUser;

	StaffController(StaffManagement staff, OrganizationQueries queries, Specialties specialties, UserManagement users,
			CurrentUser currentUser) {
		this.staff = staff;
		this.queries = queries;
		this.specialties = specialties;
		this.users = users;
		this.currentUser = currentUser;
	}

	@ModelAttribute("canEdit")
	boolean canEdit() {
		return this.currentUser.may(HttpMethod.POST, "/organization/staff");
	}

	@GetMapping
	String list(@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false) @Nullable Long specialty,
			@RequestParam(defaultValue = "false") boolean dismissed,
			@RequestHeader(name = "HX-Request", required = false) @Nullable String htmx, Model model) {
		model.addAttribute("staff", this.queries.staff(this.currentUser.workingScope(), specialty, q, dismissed));
		model.addAttribute("q", q);
		model.addAttribute("specialty", specialty);
		model.addAttribute("dismissed", dismissed);
		model.addAttribute("specialties", this.specialties.findActive());
		return htmx != null ? "organization/staff-list :: rows" : "organization/staff-list";
	}

	@GetMapping("/new")
	String newStaff(Model model) {
		model.addAttribute("form", new StaffForm());
		return formPage(null, model);
	}

	@PostMapping
	String create(@Valid @ModelAttribute("form") StaffForm form, BindingResult result, Model model,
			RedirectAttributes redirect) {
		PhoneNumber phone = FormChecks.phone(form.getPhone(), "phone", result);
		checkBranches(form, result);
		if (result.hasErrors()) {
			return formPage(null, model);
		}
		StaffMember member = this.staff.hire(form.profile(phone));
		redirect.addFlashAttribute("flashKey", "flash.staff.created");
		redirect.addFlashAttribute("flashArg", member.getShortName());
		return "redirect:/organization/staff/" + member.getId();
	}

	@GetMapping("/{id}")
	String show(@PathVariable long id, Model model) {
		StaffMember member = this.staff.view(id).orElseThrow();
		model.addAttribute("form", StaffForm.of(member));
		return formPage(member, model);
	}

	@PostMapping("/{id}")
	String update(@PathVariable long id, @Valid @ModelAttribute("form") StaffForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		StaffMember member = this.staff.find(id).orElseThrow();
		PhoneNumber phone = FormChecks.phone(form.getPhone(), "phone", result);
		checkBranches(form, result);
		if (result.hasErrors()) {
			return formPage(member, model);
		}
		this.staff.update(id, form.getVersion(), form.profile(phone));
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/organization/staff/" + id;
	}

	@PostMapping("/{id}/dismiss")
	String dismiss(@PathVariable long id, RedirectAttributes redirect) {
		this.staff.dismiss(id);
		redirect.addFlashAttribute("flashKey", "flash.staff.dismissed");
		return "redirect:/organization/staff/" + id;
	}

	@PostMapping("/{id}/reinstate")
	String reinstate(@PathVariable long id, RedirectAttributes redirect) {
		this.staff.reinstate(id);
		redirect.addFlashAttribute("flashKey", "flash.staff.reinstated");
		return "redirect:/organization/staff/" + id;
	}

	/**
	 * A staff member works somewhere the editor may see (or they would vanish from view),
	 * in branches and specialties that exist.
	 */
	private void checkBranches(StaffForm form, BindingResult result) {
		var known = this.queries.branchOptions().stream().map(OrganizationQueries.BranchOption::id).toList();
		if (form.getBranchIds().isEmpty()) {
			result.rejectValue("branchIds", "validation.branches.required");
		}
		else if (!known.containsAll(form.getBranchIds())) {
			result.rejectValue("branchIds", "validation.branches.scope");
		}
		var specialtyIds = this.specialties.findAllSorted().stream().map(s -> s.getId()).toList();
		if (!specialtyIds.containsAll(form.getSpecialtyIds())) {
			result.rejectValue("specialtyIds", "validation.unknown");
		}
	}

	private String formPage(@Nullable StaffMember member, Model model) {
		model.addAttribute("member", member);
		model.addAttribute("specialties", this.specialties.findAllSorted());
		model.addAttribute("branches", this.queries.branchOptions());
		model.addAttribute("login",
				member == null ? null : this.users.findByStaff(member.getId()).map(u -> u.getUsername()).orElse(null));
		return "organization/staff";
	}

}
