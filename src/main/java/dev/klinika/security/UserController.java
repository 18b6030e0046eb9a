package dev.klinika.security;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Logins of the clinic: who may enter, in which roles and branches. */
@Controller
@RequestMapping("/security/users")
class UserController {

	private final UserManagement users;

	private final Directory directory;

	private final CurrentUser currentUser;

	UserController(UserManagement users, Directory directory, CurrentUser currentUser) {
		this.users = users;
		this.directory = directory;
		this.currentUser = currentUser;
	}

	@GetMapping
	String list(Model model) {
		Map<Long, String> branchNames = this.directory.branches()
			.stream()
			.collect(Collectors.toMap(Directory.Entry::id, Directory.Entry::name));
		var users = this.users.all();
		Map<Long, String> branchLabels = users.stream()
			.collect(Collectors.toMap(UserAccount::getId,
					user -> user.getBranchIds()
						.stream()
						.map(id -> branchNames.getOrDefault(id, "#" + id))
						.sorted()
						.collect(Collectors.joining(", "))));
		model.addAttribute("users", users);
		model.addAttribute("branchLabels", branchLabels);
		return "security/users";
	}

	@GetMapping("/new")
	String newUser(Model model) {
		model.addAttribute("form", new UserForm());
		return formPage(null, model);
	}

	@PostMapping
	String create(@Valid @ModelAttribute("form") UserForm form, BindingResult result, Model model,
			RedirectAttributes redirect) {
		if (!result.hasFieldErrors("username") && this.users.usernameTaken(form.getUsername(), null)) {
			result.rejectValue("username", "validation.duplicate.username");
		}
		checkPassword(form.getPassword(), true, result);
		checkAssignment(form, result);
		if (result.hasErrors()) {
			return formPage(null, model);
		}
		try {
			UserAccount account = this.users.create(form.getUsername(), form.getPassword(), form.getFullName(),
					form.getRoles(), form.getBranchIds(), form.getStaffId());
			redirect.addFlashAttribute("flashKey", "flash.user.created");
			redirect.addFlashAttribute("flashArg", account.getUsername());
			return "redirect:/security/users";
		}
		catch (DuplicateKeyException ex) {
			result.rejectValue(ex.getMessage() != null && ex.getMessage().contains("staff") ? "staffId" : "username",
					"validation.duplicate.username");
			return formPage(null, model);
		}
	}

	@GetMapping("/{id}")
	String show(@PathVariable long id, Model model) {
		UserAccount account = this.users.find(id).orElseThrow();
		model.addAttribute("form", UserForm.of(account));
		return formPage(account, model);
	}

	@PostMapping("/{id}")
	String update(@PathVariable long id, @Valid @ModelAttribute("form") UserForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		UserAccount account = this.users.find(id).orElseThrow();
		checkPassword(form.getPassword(), false, result);
		checkAssignment(form, result);
		if (result.hasErrors()) {
			return formPage(account, model);
		}
		try {
			this.users.update(id, form.getFullName(), form.getRoles(), form.getBranchIds(), form.getStaffId(),
					form.getPassword());
		}
		catch (DuplicateKeyException ex) {
			result.rejectValue("staffId", "validation.staff.linked");
			return formPage(account, model);
		}
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/security/users/" + id;
	}

	@PostMapping("/{id}/disable")
	String disable(@PathVariable long id, RedirectAttributes redirect) {
		this.users.setEnabled(id, false);
		redirect.addFlashAttribute("flashKey", "flash.user.disabled");
		return "redirect:/security/users/" + id;
	}

	@PostMapping("/{id}/enable")
	String enable(@PathVariable long id, RedirectAttributes redirect) {
		this.users.setEnabled(id, true);
		redirect.addFlashAttribute("flashKey", "flash.user.enabled");
		return "redirect:/security/users/" + id;
	}

	private static void checkPassword(@Nullable String password, boolean required, BindingResult result) {
		if (password == null || password.isEmpty()) {
			if (required) {
				result.rejectValue("password", "validation.required");
			}
			return;
		}
		if (password.length() < UserManagement.MIN_PASSWORD
				|| password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > UserManagement.MAX_PASSWORD) {
			result.rejectValue("password", "validation.password",
					new Object[] { UserManagement.MIN_PASSWORD, UserManagement.MAX_PASSWORD }, null);
		}
	}

	/** At least one role; branches that exist; an OWNER role only from an OWNER. */
	private void checkAssignment(UserForm form, BindingResult result) {
		if (form.getRoles().isEmpty()) {
			result.rejectValue("roles", "validation.roles.required");
		}
		if (form.getRoles().contains(Role.OWNER) && !this.currentUser.has(Role.OWNER)) {
			result.rejectValue("roles", "validation.roles.owner");
		}
		var known = this.directory.branches().stream().map(Directory.Entry::id).toList();
		if (!known.containsAll(form.getBranchIds())) {
			result.rejectValue("branchIds", "validation.unknown");
		}
		boolean networkWide = form.getRoles().stream().anyMatch(Role.NETWORK_WIDE::contains);
		if (!networkWide && form.getBranchIds().isEmpty() && !form.getRoles().isEmpty()) {
			result.rejectValue("branchIds", "validation.branches.required");
		}
		if (form.getStaffId() != null && this.directory.staffName(form.getStaffId()).isEmpty()) {
			result.rejectValue("staffId", "validation.unknown");
		}
	}

	private String formPage(@Nullable UserAccount account, Model model) {
		if (account != null && account.getRoles().contains(Role.OWNER) && !this.currentUser.has(Role.OWNER)) {
			throw new AccessDeniedException("Only an owner may change an owner's login");
		}
		model.addAttribute("account", account);
		model.addAttribute("allRoles", Role.values());
		model.addAttribute("branches", this.directory.branches());
		model.addAttribute("staff", this.directory.activeStaff());
		model.addAttribute("isSelf",
				account != null && this.currentUser.get().map(me -> me.id() == account.getId()).orElse(false));
		return "security/user";
	}

}
