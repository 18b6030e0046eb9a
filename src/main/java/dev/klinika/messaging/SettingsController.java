package dev.klinika.messaging;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.catalog.ServiceCategories;

/**
 * The owner's and manager's messaging settings: templates with a preview on a real visit
 * and an SMS counter, and the policy: reminder rules, quiet hours, channel order.
 */
@Controller
class SettingsController {

	private final MessageTemplates templates;

	private final TemplatePreview preview;

	private final MessagingPolicy policy;

	private final Senders senders;

	private final ServiceCategories categories;

	SettingsController(MessageTemplates templates, TemplatePreview preview, MessagingPolicy policy, Senders senders,
			ServiceCategories categories) {
		this.templates = templates;
		this.preview = preview;
		this.policy = policy;
		this.senders = senders;
		this.categories = categories;
	}

	@GetMapping("/messaging/templates")
	String templates(Model model) {
		model.addAttribute("templates", this.templates.all());
		model.addAttribute("placeholders", MessageTemplates.PLACEHOLDERS);
		return "messaging/templates";
	}

	@GetMapping("/messaging/templates/{id}")
	String template(@PathVariable long id, Model model) {
		MessageTemplates.Template template = this.templates.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		return edit(model, template, template.subject(), template.body(), null);
	}

	@PostMapping("/messaging/templates/{id}")
	String save(@PathVariable long id, @RequestParam(required = false) @Nullable String subject,
			@RequestParam(defaultValue = "") String body, @RequestParam int version,
			@RequestParam(defaultValue = "save") String action, Model model, RedirectAttributes redirect) {
		MessageTemplates.Template template = this.templates.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		if ("preview".equals(action)) {
			return edit(model, template, subject, body, null);
		}
		try {
			this.templates.save(id, subject, body, version);
		}
		catch (MessageTemplates.TemplateRefused refused) {
			model.addAttribute("unknown", refused.unknown());
			return edit(model, template, subject, body, "messaging.template.refused." + refused.reason());
		}
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/messaging/templates/" + id;
	}

	private String edit(Model model, MessageTemplates.Template template, @Nullable String subject, String body,
			@Nullable String error) {
		model.addAttribute("template", template);
		model.addAttribute("subject", subject);
		model.addAttribute("body", body);
		model.addAttribute("error", error);
		model.addAttribute("placeholders", MessageTemplates.PLACEHOLDERS);
		MessageTemplates.Template draft = new MessageTemplates.Template(template.id(), template.event(),
				template.channel(), template.locale(), subject, body, template.version());
		TemplatePreview.Preview shown = this.preview.of(draft);
		model.addAttribute("preview", shown);
		if (template.channel() == ChannelKind.SMS) {
			model.addAttribute("count", SmsText.count(shown.body()));
		}
		return "messaging/template";
	}

	@GetMapping("/messaging/settings")
	String settings(Model model) {
		model.addAttribute("policy", this.policy.policy());
		model.addAttribute("rules", this.policy.rules());
		model.addAttribute("channels", ChannelKind.values());
		model.addAttribute("available", this.senders.available());
		model.addAttribute("sandbox", this.senders.sandbox());
		var categories = this.categories.findAll();
		model.addAttribute("categories", categories);
		java.util.Map<Long, String> names = new java.util.HashMap<>();
		categories.forEach(category -> names.put(category.getId(), category.getName()));
		model.addAttribute("categoryNames", names);
		return "messaging/settings";
	}

	@PostMapping("/messaging/settings")
	String saveSettings(@RequestParam String quietFrom, @RequestParam String quietTo,
			@RequestParam(required = false) @Nullable List<String> channels, @RequestParam String locale,
			@RequestParam(defaultValue = "false") boolean sendBooked, @RequestParam int version,
			RedirectAttributes redirect) {
		try {
			this.policy.save(LocalTime.parse(quietFrom), LocalTime.parse(quietTo),
					channels == null ? List.of() : channels, locale, sendBooked, version);
		}
		catch (DateTimeParseException | IllegalArgumentException ex) {
			redirect.addFlashAttribute("flashErrorKey", "messaging.settings.invalid");
			return "redirect:/messaging/settings";
		}
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/messaging/settings";
	}

	@PostMapping("/messaging/settings/rules")
	String addRule(@RequestParam String kind, @RequestParam(required = false) @Nullable String atTime,
			@RequestParam(required = false) @Nullable Integer minutesBefore,
			@RequestParam(required = false) @Nullable Long categoryId, RedirectAttributes redirect) {
		try {
			this.policy.addRule(kind, atTime == null || atTime.isBlank() ? null : LocalTime.parse(atTime),
					minutesBefore, categoryId);
		}
		catch (DateTimeParseException | IllegalArgumentException ex) {
			redirect.addFlashAttribute("flashErrorKey", "messaging.rule.invalid");
			return "redirect:/messaging/settings";
		}
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/messaging/settings";
	}

	@PostMapping("/messaging/settings/rules/{id}/enabled")
	String enableRule(@PathVariable long id, @RequestParam boolean enabled, RedirectAttributes redirect) {
		this.policy.enableRule(id, enabled);
		redirect.addFlashAttribute("flashKey", "flash.saved");
		return "redirect:/messaging/settings";
	}

}
