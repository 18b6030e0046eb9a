package dev.klinika.scheduling;

import java.time.Clock;
import java.time.LocalDate;
import java.util.NoSuchElementException;

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
import dev.klinika.patients.PatientManagement;
import dev.klinika.organization.OrganizationQueries.BranchOption;
import dev.klinika.security.CurrentUser;

/**
 * The waiting list of a branch: who waits for what, the freed times offered, one click to
 * book.
 */
@Controller
class WaitingController {

	private final WaitingList waiting;

	private final BookingQueries queries;

	private final OrganizationQueries organization;

	private final CurrentUser currentUser;

	private final Clock clock;

	private final PatientManagement patients;

	WaitingController(WaitingList waiting, BookingQueries queries, OrganizationQueries organization,
			CurrentUser currentUser, Clock clock, PatientManagement patients) {
		this.patients = patients;
		this.waiting = waiting;
		this.queries = queries;
		this.organization = organization;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	@GetMapping("/scheduling/waiting")
	String list(@RequestParam(required = false) @Nullable Long branch, Model model) {
		BranchOption option = branch(branch);
		model.addAttribute("branches", this.organization.branchOptions());
		model.addAttribute("branch", option);
		model.addAttribute("entries", this.waiting.entries(this.currentUser.scope(), option.id()));
		model.addAttribute("services", this.queries.services(null, option.id()));
		model.addAttribute("staffOptions", this.queries.staff(option.id(), null));
		LocalDate today = LocalDate.now(this.clock.withZone(option.zone()));
		model.addAttribute("today", today);
		model.addAttribute("inTwoWeeks", today.plusDays(14));
		model.addAttribute("zone", option.zone());
		model.addAttribute("canEdit",
				this.currentUser.may(org.springframework.http.HttpMethod.POST, "/scheduling/waiting"));
		return "scheduling/waiting";
	}

	@PostMapping("/scheduling/waiting")
	String add(@RequestParam long branch, @RequestParam(required = false) @Nullable Long patient,
			@RequestParam(required = false) @Nullable Long service,
			@RequestParam(required = false) @Nullable Long staff,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
			@RequestParam(required = false) @Nullable String note, RedirectAttributes redirect) {
		BranchOption option = branch(branch);
		if (patient == null || service == null) {
			redirect.addFlashAttribute("flashErrorKey", patient == null ? "book.choosePatient" : "book.chooseService");
			return "redirect:/scheduling/waiting?branch=" + option.id();
		}
		this.patients.require(patient);
		try {
			this.waiting.add(new WaitingList.Wish(patient, option.id(), service, staff, from, to, note));
			redirect.addFlashAttribute("flashKey", "flash.waiting.added");
			redirect.addFlashAttribute("flashArg", "");
		}
		catch (BookingRefused refused) {
			redirect.addFlashAttribute("flashErrorKey", "booking.refused." + refused.reason());
		}
		return "redirect:/scheduling/waiting?branch=" + option.id();
	}

	@PostMapping("/scheduling/waiting/{id}/remove")
	String remove(@PathVariable long id) {
		long branch = this.waiting.branchOf(id).filter(b -> this.currentUser.scope().includes(b)).orElseThrow();
		this.waiting.remove(id);
		return "redirect:/scheduling/waiting?branch=" + branch;
	}

	@PostMapping("/scheduling/waiting/offers/{id}/take")
	String take(@PathVariable long id, RedirectAttributes redirect) {
		long branch = this.waiting.branchOfOffer(id).filter(b -> this.currentUser.scope().includes(b)).orElseThrow();
		try {
			var booked = this.waiting.take(id);
			redirect.addFlashAttribute("flashKey", "flash.waiting.taken");
			redirect.addFlashAttribute("flashArg", "");
			return "redirect:/scheduling/appointments/" + booked.id();
		}
		catch (SlotTaken taken) {
			redirect.addFlashAttribute("flashErrorKey", "booking.taken.short");
		}
		catch (BookingRefused refused) {
			redirect.addFlashAttribute("flashErrorKey", "booking.refused." + refused.reason());
		}
		return "redirect:/scheduling/waiting?branch=" + branch;
	}

	private BranchOption branch(@Nullable Long branch) {
		Long chosen = branch != null ? branch : this.currentUser.selectedBranch().orElse(null);
		return (chosen != null ? this.organization.branchOption(chosen)
				: this.organization.branchOptions().stream().findFirst())
			.orElseThrow(() -> new NoSuchElementException("Branch " + branch + " is outside the login's branches"));
	}

}
