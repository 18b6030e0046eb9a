package dev.klinika.telephony.web;

import java.time.Clock;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.security.CurrentUser;
import dev.klinika.telephony.CallHandling;
import dev.klinika.telephony.CallerCard;

/**
 * The reception's calls: missed ones highlighted until handled (a call back closes them
 * by itself), recordings to play, an outcome tag and a comment per call.
 */
@Controller
class CallsController {

	private final CallerCard cards;

	private final CallHandling handling;

	private final CurrentUser currentUser;

	private final OrganizationQueries organization;

	private final Clock clock;

	CallsController(CallerCard cards, CallHandling handling, CurrentUser currentUser, OrganizationQueries organization,
			Clock clock) {
		this.cards = cards;
		this.handling = handling;
		this.currentUser = currentUser;
		this.organization = organization;
		this.clock = clock;
	}

	@ModelAttribute("zone")
	ZoneId zone() {
		return this.organization.workingZone(this.currentUser.selectedBranch(), this.clock.getZone());
	}

	@GetMapping("/telephony/calls")
	String calls(@RequestParam(defaultValue = "false") boolean missed, Model model) {
		model.addAttribute("calls", this.cards.latest(missed, this.currentUser.scope(), 200));
		model.addAttribute("missed", missed);
		model.addAttribute("outcomes", CallHandling.OUTCOMES);
		return "telephony/calls";
	}

	@PostMapping("/telephony/calls/{id}/handled")
	String handled(@PathVariable long id, RedirectAttributes redirect) {
		this.handling.handled(id);
		redirect.addFlashAttribute("flashKey", "telephony.handled");
		return "redirect:/telephony/calls?missed=true";
	}

	@PostMapping("/telephony/calls/{id}/outcome")
	String outcome(@PathVariable long id, @RequestParam String outcome,
			@RequestParam(required = false) @Nullable String comment, RedirectAttributes redirect) {
		try {
			this.handling.tag(id, outcome, comment);
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("flashErrorKey", "telephony.outcome.invalid");
		}
		return "redirect:/telephony/calls";
	}

}
