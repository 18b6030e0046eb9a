package dev.klinika.organization;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The clinic's privacy policy, public: the booking form links it at its consent checkbox,
 * as 152-FZ expects the operator's policy to be published. The clinic's own text when it
 * wrote one, else a standard one naming the operator from its legal details.
 */
@Controller
class PrivacyPolicyPage {

	private final ClinicProfile clinic;

	private final MessageSource messages;

	PrivacyPolicyPage(ClinicProfile clinic, MessageSource messages) {
		this.clinic = clinic;
		this.messages = messages;
	}

	@GetMapping("/privacy")
	String policy(Model model, Locale locale) {
		Clinic clinic = this.clinic.current();
		String text = clinic.getPrivacyPolicy().orElseGet(() -> standard(clinic, locale));
		// Paragraphs as the clinic typed them, as plain text: nothing in it is markup.
		List<String> paragraphs = Arrays.stream(text.split("\\R\\s*\\R"))
			.map(String::strip)
			.filter(paragraph -> !paragraph.isEmpty())
			.toList();
		model.addAttribute("paragraphs", paragraphs);
		model.addAttribute("operator", operator(clinic));
		return "organization/privacy";
	}

	private String standard(Clinic clinic, Locale locale) {
		String contacts = String.join(", ",
				Stream.of(clinic.getLegal().legalAddress(), clinic.getEmail(), clinic.getPhone())
					.filter(Objects::nonNull)
					.toList());
		String inn = clinic.getLegal().inn() == null ? "" : clinic.getLegal().inn();
		return this.messages.getMessage("privacy.standard", new Object[] { operator(clinic), inn, contacts }, locale);
	}

	private static String operator(Clinic clinic) {
		return clinic.getLegal().legalName() != null ? clinic.getLegal().legalName() : clinic.getName();
	}

}
