package dev.klinika.organization;

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

import dev.klinika.shared.FormChecks;
import dev.klinika.shared.PhoneNumber;

/** The clinic's name, contacts and legal details. */
@Controller
@RequestMapping("/organization/clinic")
class ClinicController {

	private final ClinicProfile clinic;

	private final dev.klinika.organization.ClinicLogo logo;

	ClinicController(ClinicProfile clinic, dev.klinika.organization.ClinicLogo logo) {
		this.clinic = clinic;
		this.logo = logo;
	}

	@org.springframework.web.bind.annotation.ModelAttribute("logoVersion")
	@org.jspecify.annotations.Nullable
	Long logoVersion() {
		return this.logo.version().map(java.time.Instant::toEpochMilli).orElse(null);
	}

	@GetMapping
	String form(Model model) {
		model.addAttribute("form", ClinicForm.of(this.clinic.current()));
		return "organization/clinic";
	}

	/** Takes a new logo: a PNG, JPEG or WebP picture of at most 300 KB. */
	@PostMapping("/logo")
	String setLogo(@org.springframework.web.bind.annotation.RequestParam(name = "logo",
			required = false) org.springframework.web.multipart.@org.jspecify.annotations.Nullable MultipartFile file,
			RedirectAttributes redirect) throws java.io.IOException {
		try {
			this.logo.set(file == null ? null : file.getBytes());
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		catch (dev.klinika.organization.ClinicLogo.Refused refused) {
			redirect.addFlashAttribute("flashErrorKey", "clinic.logo.refused." + refused.reason());
		}
		return "redirect:/organization/clinic";
	}

	@PostMapping("/logo/remove")
	String removeLogo(RedirectAttributes redirect) {
		this.logo.remove();
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/organization/clinic";
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
