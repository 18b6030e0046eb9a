package dev.klinika.messaging;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.patients.Patient;
import dev.klinika.patients.PatientManagement;
import dev.klinika.security.CurrentUser;

/**
 * The reception's messaging screens: what went out and how it ended (with a retry for
 * what failed), the inbox of replies with answers through the same channel, and a
 * patient's channels: Telegram link and opt-outs.
 */
@Controller
class MessagingController {

	/** The list shows the latest this many; the filters narrow it. */
	private static final int LIMIT = 100;

	private final MessageQueries queries;

	private final Outbox outbox;

	private final Inbox inbox;

	private final Senders senders;

	private final TelegramUpdates telegram;

	private final PatientManagement patients;

	private final CurrentUser currentUser;

	private final OrganizationQueries organization;

	private final Clock clock;

	MessagingController(MessageQueries queries, Outbox outbox, Inbox inbox, Senders senders, TelegramUpdates telegram,
			PatientManagement patients, CurrentUser currentUser, OrganizationQueries organization, Clock clock) {
		this.organization = organization;
		this.clock = clock;
		this.queries = queries;
		this.outbox = outbox;
		this.inbox = inbox;
		this.senders = senders;
		this.telegram = telegram;
		this.patients = patients;
		this.currentUser = currentUser;
	}

	/** Times on these screens are in the branch the login works in. */
	@ModelAttribute("zone")
	ZoneId zone() {
		return this.organization.workingZone(this.currentUser.selectedBranch(), this.clock.getZone());
	}

	@GetMapping("/messaging")
	String messages(@RequestParam(required = false) @Nullable MessageStatus status,
			@RequestParam(required = false) @Nullable ChannelKind channel,
			@RequestParam(required = false) @Nullable String event,
			@RequestParam(required = false) @Nullable String recipient, Model model) {
		model.addAttribute("rows", this.queries.list(new MessageQueries.Filter(status, channel, event, null, recipient),
				this.currentUser.scope(), LIMIT));
		model.addAttribute("limit", LIMIT);
		model.addAttribute("counts", this.queries.counts(this.currentUser.scope()));
		model.addAttribute("statuses", MessageStatus.values());
		model.addAttribute("channels", ChannelKind.values());
		model.addAttribute("events", this.queries.events());
		model.addAttribute("status", status);
		model.addAttribute("channel", channel);
		model.addAttribute("event", event);
		model.addAttribute("recipient", recipient);
		model.addAttribute("sandbox", this.senders.sandbox());
		model.addAttribute("available", this.senders.available());
		model.addAttribute("unhandled", this.inbox.unhandled(this.currentUser.scope()));
		return "messaging/messages";
	}

	@PostMapping("/messaging/{id}/retry")
	String retry(@PathVariable long id, RedirectAttributes redirect) {
		Outbox.Addressee to = this.outbox.addressee(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		if (to.patientId() != null && this.patients.find(to.patientId()).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		boolean again = this.outbox.retry(id);
		redirect.addFlashAttribute(again ? "flashKey" : "flashErrorKey",
				again ? "messaging.retried" : "messaging.notRetried");
		return "redirect:/messaging";
	}

	@GetMapping("/messaging/inbox")
	String inbox(@RequestParam(defaultValue = "false") boolean all, Model model) {
		model.addAttribute("messages", this.inbox.latest(!all, this.currentUser.scope(), 300));
		model.addAttribute("all", all);
		return "messaging/inbox";
	}

	@PostMapping("/messaging/inbox/{id}/reply")
	String reply(@PathVariable long id, @RequestParam(defaultValue = "") String text, RedirectAttributes redirect) {
		visibleMessage(id);
		String body = text.strip();
		if (body.isEmpty() || body.length() > 1000) {
			redirect.addFlashAttribute("flashErrorKey", "messaging.reply.invalid");
			return "redirect:/messaging/inbox";
		}
		this.inbox.reply(id, body);
		redirect.addFlashAttribute("flashKey", "messaging.reply.sent");
		return "redirect:/messaging/inbox";
	}

	@PostMapping("/messaging/inbox/{id}/handled")
	String handled(@PathVariable long id, RedirectAttributes redirect) {
		visibleMessage(id);
		this.inbox.handled(id);
		redirect.addFlashAttribute("flashKey", "messaging.handled");
		return "redirect:/messaging/inbox";
	}

	private Inbox.Message visibleMessage(long id) {
		Inbox.Message message = this.inbox.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		if (message.patientId() != null && this.patients.find(message.patientId()).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		return message;
	}

	@GetMapping("/messaging/patients/{id}")
	String patient(@PathVariable long id, Model model) {
		Patient patient = this.patients.view(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		model.addAttribute("patient", patient);
		model.addAttribute("rows", this.queries.list(new MessageQueries.Filter(null, null, null, id, null),
				this.currentUser.scope(), 200));
		model.addAttribute("optOuts", this.inbox.optOuts(id));
		model.addAttribute("telegramLinked", this.telegram.linked(id));
		return "messaging/patient";
	}

	@PostMapping("/messaging/patients/{id}/telegram")
	String telegramLink(@PathVariable long id, RedirectAttributes redirect) {
		this.patients.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		redirect.addFlashAttribute("telegramLink", this.telegram.linkFor(id));
		return "redirect:/messaging/patients/" + id;
	}

	@PostMapping("/messaging/patients/{id}/opt-out")
	String optOut(@PathVariable long id, @RequestParam String scope, @RequestParam(defaultValue = "false") boolean on,
			RedirectAttributes redirect) {
		this.patients.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		if (!List.of("MARKETING", "ALL").contains(scope)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
		}
		if (on) {
			this.inbox.optOut(id, scope, "STAFF");
		}
		else {
			this.inbox.optIn(id, scope);
		}
		redirect.addFlashAttribute("flashKey", "messaging.optOut.saved");
		return "redirect:/messaging/patients/" + id;
	}

}
