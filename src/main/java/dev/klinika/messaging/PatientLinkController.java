package dev.klinika.messaging;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.klinika.scheduling.Appointment;

/**
 * The small phone pages a patient's links open, without a login: confirm or cancel a
 * visit, and unsubscribe. A forged link is refused (403); an expired one says so.
 */
@Controller
class PatientLinkController {

	private final PatientLinks links;

	private final VisitLinks signatures;

	private final Inbox inbox;

	PatientLinkController(PatientLinks links, VisitLinks signatures, Inbox inbox) {
		this.links = links;
		this.signatures = signatures;
		this.inbox = inbox;
	}

	@GetMapping("/m/{token}")
	String visit(@PathVariable String token, Model model) {
		Appointment appointment = valid(token);
		return appointment == null ? "messaging/link-expired" : show(token, appointment, null, model);
	}

	@PostMapping("/m/{token}/confirm")
	String confirm(@PathVariable String token, Model model) {
		Appointment appointment = valid(token);
		return appointment == null ? "messaging/link-expired"
				: show(token, this.links.confirm(appointment), "confirmed", model);
	}

	@PostMapping("/m/{token}/cancel")
	String cancel(@PathVariable String token, Model model) {
		Appointment appointment = valid(token);
		return appointment == null ? "messaging/link-expired"
				: show(token, this.links.cancel(appointment), "cancelled", model);
	}

	private String show(String token, Appointment appointment, @Nullable String done, Model model) {
		model.addAttribute("token", token);
		model.addAttribute("visit", this.links.summary(appointment.id()).orElseThrow());
		model.addAttribute("done", done);
		return "messaging/visit";
	}

	@GetMapping("/m/u/{token}")
	String unsubscribe(@PathVariable String token, Model model) {
		this.signatures.checkUnsubscribe(token).orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN));
		model.addAttribute("token", token);
		return "messaging/unsubscribe";
	}

	@PostMapping("/m/u/{token}")
	String unsubscribed(@PathVariable String token, @RequestParam(defaultValue = "MARKETING") String scope,
			Model model) {
		long patient = this.signatures.checkUnsubscribe(token)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN));
		this.inbox.optOut(patient, "ALL".equals(scope) ? "ALL" : "MARKETING", "LINK");
		model.addAttribute("token", token);
		model.addAttribute("done", "ALL".equals(scope) ? "ALL" : "MARKETING");
		return "messaging/unsubscribe";
	}

	/** The appointment of a valid link; null when expired; 403 when forged. */
	private @Nullable Appointment valid(String token) {
		try {
			return this.links.open(token).orElse(null);
		}
		catch (PatientLinks.LinkForged forged) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN);
		}
	}

}
