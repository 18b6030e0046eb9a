package dev.klinika.patients;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

import jakarta.validation.Valid;

import org.springframework.stereotype.Controller;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;

/** Records and withdraws consents from the card. */
@Controller
@RequestMapping("/patients/{id}/consents")
class ConsentController {

	private final PatientManagement patients;

	private final Consents consents;

	private final OrganizationQueries organization;

	private final Clock clock;

	ConsentController(PatientManagement patients, Consents consents, OrganizationQueries organization, Clock clock) {
		this.patients = patients;
		this.consents = consents;
		this.organization = organization;
		this.clock = clock;
	}

	@PostMapping
	String give(@PathVariable long id, @Valid @ModelAttribute("consentForm") ConsentForm form, BindingResult result,
			RedirectAttributes redirect) {
		Patient patient = this.patients.find(id).orElseThrow();
		ZoneId zone = patient.getZone().orElseGet(() -> branchZone(patient.getHomeBranchId()));
		LocalDate today = LocalDate.now(this.clock.withZone(zone));
		if (form.getGivenOn() != null && (form.getGivenOn().isAfter(today) || form.getGivenOn().getYear() < 2000)) {
			result.rejectValue("givenOn", "validation.consent.date");
		}
		if (result.hasErrors()) {
			redirect.addFlashAttribute("flashErrorKey", "flash.consent.invalid");
			return "redirect:/patients/" + id + "#consents";
		}
		// A consent given today is given now; one given earlier, at the start of that
		// day.
		var givenAt = form.getGivenOn().equals(today) ? this.clock.instant()
				: form.getGivenOn().atStartOfDay(zone).toInstant();
		this.consents.give(id, form.getKind(), givenAt, form.getChannel(), form.getProof());
		redirect.addFlashAttribute("flashKey", "flash.consent.given");
		return "redirect:/patients/" + id + "#consents";
	}

	@PostMapping("/{consentId}/withdraw")
	String withdraw(@PathVariable long id, @PathVariable long consentId, RedirectAttributes redirect) {
		this.patients.find(id).orElseThrow();
		this.consents.withdraw(id, consentId);
		redirect.addFlashAttribute("flashKey", "flash.consent.withdrawn");
		return "redirect:/patients/" + id + "#consents";
	}

	private ZoneId branchZone(long branchId) {
		return this.organization.branchOption(branchId)
			.map(OrganizationQueries.BranchOption::zone)
			.orElse(this.clock.getZone());
	}

}
