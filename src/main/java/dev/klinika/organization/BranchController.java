package dev.klinika.organization;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;

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
import dev.klinika.shared.FormChecks;
import dev.klinika.shared.PhoneNumber;

/** Branches with their working hours, and the rooms of each branch. */
@Controller
@RequestMapping("/organization")
class BranchController {

	/** Zones offered first in the time-zone list: where Russian-speaking clinics are. */
	static final List<String> COMMON_ZONES = List.of("Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara",
			"Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk",
			"Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka", "Europe/Minsk", "Asia/Almaty", "Asia/Tashkent");

	private final BranchManagement branches;

	private final OrganizationQueries queries;

	private final CurrentUser currentUser;

	BranchController(BranchManagement branches, OrganizationQueries queries, CurrentUser currentUser) {
		this.branches = branches;
		this.queries = queries;
		this.currentUser = currentUser;
	}

	@ModelAttribute("zones")
	List<String> zones() {
		return COMMON_ZONES;
	}

	@ModelAttribute("roomKinds")
	RoomKind[] roomKinds() {
		return RoomKind.values();
	}

	@ModelAttribute("canEdit")
	boolean canEdit() {
		return this.currentUser.may(HttpMethod.POST, "/organization/branches");
	}

	@GetMapping("/branches")
	String list(Model model) {
		model.addAttribute("branches", this.queries.branches());
		return "organization/branches";
	}

	@GetMapping("/branches/new")
	String newBranch(Model model) {
		model.addAttribute("form", new BranchForm());
		return "organization/branch";
	}

	@PostMapping("/branches")
	String create(@Valid @ModelAttribute("form") BranchForm form, BindingResult result, Model model,
			RedirectAttributes redirect) {
		PhoneNumber phone = FormChecks.phone(form.getPhone(), "phone", result);
		ZoneId zone = FormChecks.zone(form.getTimeZone(), "timeZone", result);
		Set<WorkingHours> hours = form.hours(result);
		if (result.hasErrors() || zone == null) {
			return "organization/branch";
		}
		try {
			Branch branch = this.branches.open(form.getName(), form.getAddress(), phone, zone, hours);
			redirect.addFlashAttribute("flashKey", "flash.branch.created");
			redirect.addFlashAttribute("flashArg", branch.getName());
			return "redirect:/organization/branches/" + branch.getId();
		}
		catch (DuplicateKeyException ex) {
			result.rejectValue("name", "validation.duplicate.name");
			return "organization/branch";
		}
	}

	@GetMapping("/branches/{id}")
	String show(@PathVariable long id, Model model) {
		Branch branch = this.branches.find(id).orElseThrow();
		model.addAttribute("form", BranchForm.of(branch));
		return branchPage(branch, model);
	}

	@PostMapping("/branches/{id}")
	String update(@PathVariable long id, @Valid @ModelAttribute("form") BranchForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		Branch branch = this.branches.find(id).orElseThrow();
		PhoneNumber phone = FormChecks.phone(form.getPhone(), "phone", result);
		ZoneId zone = FormChecks.zone(form.getTimeZone(), "timeZone", result);
		Set<WorkingHours> hours = form.hours(result);
		if (result.hasErrors() || zone == null) {
			return branchPage(branch, model);
		}
		try {
			this.branches.update(id, form.getVersion(), form.getName(), form.getAddress(), phone, zone, hours);
		}
		catch (DuplicateKeyException ex) {
			result.rejectValue("name", "validation.duplicate.name");
			return branchPage(branch, model);
		}
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/organization/branches/" + id;
	}

	@PostMapping("/branches/{id}/deactivate")
	String deactivate(@PathVariable long id, RedirectAttributes redirect) {
		this.branches.setActive(id, false);
		redirect.addFlashAttribute("flashKey", "flash.deactivated");
		return "redirect:/organization/branches/" + id;
	}

	@PostMapping("/branches/{id}/activate")
	String activate(@PathVariable long id, RedirectAttributes redirect) {
		this.branches.setActive(id, true);
		redirect.addFlashAttribute("flashKey", "flash.activated");
		return "redirect:/organization/branches/" + id;
	}

	@PostMapping("/branches/{id}/rooms")
	String addRoom(@PathVariable long id, @Valid @ModelAttribute("roomForm") RoomForm roomForm, BindingResult result,
			Model model, RedirectAttributes redirect) {
		Branch branch = this.branches.find(id).orElseThrow();
		if (!result.hasErrors()) {
			try {
				Room room = this.branches.addRoom(id, roomForm.getName(), roomForm.getKind());
				redirect.addFlashAttribute("flashKey", "flash.room.created");
				redirect.addFlashAttribute("flashArg", room.getName());
				return "redirect:/organization/branches/" + id + "#rooms";
			}
			catch (DuplicateKeyException ex) {
				result.rejectValue("name", "validation.duplicate.name");
			}
		}
		model.addAttribute("form", BranchForm.of(branch));
		return branchPage(branch, model);
	}

	@PostMapping("/rooms/{roomId}")
	String updateRoom(@PathVariable long roomId, @Valid @ModelAttribute("roomForm") RoomForm roomForm,
			BindingResult result, RedirectAttributes redirect) {
		Room room = this.branches.findRoom(roomId).orElseThrow();
		if (result.hasErrors()) {
			redirect.addFlashAttribute("flashErrorKey", "flash.room.invalid");
			return "redirect:/organization/branches/" + room.getBranchId() + "#rooms";
		}
		try {
			this.branches.updateRoom(roomId, roomForm.getVersion(), roomForm.getName(), roomForm.getKind());
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		catch (DuplicateKeyException ex) {
			redirect.addFlashAttribute("flashErrorKey", "validation.duplicate.name");
		}
		return "redirect:/organization/branches/" + room.getBranchId() + "#rooms";
	}

	@PostMapping("/rooms/{roomId}/deactivate")
	String deactivateRoom(@PathVariable long roomId, RedirectAttributes redirect) {
		return setRoomActive(roomId, false, redirect);
	}

	@PostMapping("/rooms/{roomId}/activate")
	String activateRoom(@PathVariable long roomId, RedirectAttributes redirect) {
		return setRoomActive(roomId, true, redirect);
	}

	private String setRoomActive(long roomId, boolean active, RedirectAttributes redirect) {
		Room room = this.branches.findRoom(roomId).orElseThrow();
		this.branches.setRoomActive(roomId, active);
		redirect.addFlashAttribute("flashKey", active ? "flash.activated" : "flash.deactivated");
		return "redirect:/organization/branches/" + room.getBranchId() + "#rooms";
	}

	private String branchPage(Branch branch, Model model) {
		model.addAttribute("branch", branch);
		model.addAttribute("rooms", this.branches.rooms(branch.getId()));
		if (!model.containsAttribute("roomForm")) {
			model.addAttribute("roomForm", new RoomForm());
		}
		return "organization/branch";
	}

}
