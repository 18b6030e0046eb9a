package dev.klinika.organization.web;

import java.util.Currency;

import jakarta.validation.Valid;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.ClinicProfile;
import dev.klinika.shared.FormChecks;
import dev.klinika.shared.PhoneNumber;

/** The clinic's name, contacts and legal details. */
@Controller
@RequestMapping("/organization/clinic")
class ClinicController {

	private final ClinicProfile clinic;

	ClinicController(ClinicProfile clinic) {
		this.clinic = clinic;
	}

	@GetMapping
	String form(Model model) {
		model.addAttribute("form", ClinicForm.of(this.clinic.current()));
		return "organization/clinic";
	}

	@PostMapping
	String save(@Valid @ModelAttribute("form") ClinicForm form, BindingResult result, RedirectAttributes redirect) {
		PhoneNumber phone = FormChecks.phone(form.getPhone(), "phone", result);
		Currency currency = null;
		try {
			currency = Currency.getInstance(form.getCurrency().trim());
		}
		catch (IllegalArgumentException ex) {
			result.rejectValue("currency", "validation.currency");
		}
		if (result.hasErrors() || currency == null) {
			return "organization/clinic";
		}
		this.clinic.update(form.getVersion(), form.getName(), form.legal(), phone == null ? null : phone.e164(),
				ClinicForm.blankToNull(form.getEmail()), ClinicForm.blankToNull(form.getWebsite()), currency,
				form.getPrivacyPolicy());
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/organization/clinic";
	}

}
