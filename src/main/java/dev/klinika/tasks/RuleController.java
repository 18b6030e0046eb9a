package dev.klinika.tasks;

import java.util.List;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.security.Role;
import dev.klinika.shared.ConcurrentChange;

/**
 * The automation rules: on or off, their task's words, owner and timing, and what each
 * did.
 */
@Controller
class RuleController {

	private final Automation automation;

	private final java.time.Clock clock;

	private final dev.klinika.tasks.TaskTemplates templates;

	private final dev.klinika.organization.OrganizationQueries organization;

	private final dev.klinika.catalog.ServiceCategories categories;

	RuleController(Automation automation, java.time.Clock clock, dev.klinika.tasks.TaskTemplates templates,
			dev.klinika.organization.OrganizationQueries organization,
			dev.klinika.catalog.ServiceCategories categories) {
		this.categories = categories;
		this.automation = automation;
		this.clock = clock;
		this.templates = templates;
		this.organization = organization;
	}

	@GetMapping("/tasks/rules")
	String rules(Model model) {
		model.addAttribute("rules", this.automation.rules(null));
		model.addAttribute("templates", this.templates.list());
		model.addAttribute("branches", this.organization.branchOptions());
		model.addAttribute("kinds", dev.klinika.tasks.TaskKind.values());
		model.addAttribute("roles", List.of(Role.ADMIN, Role.SENIOR_ADMIN, Role.CONSULTANT, Role.DOCTOR, Role.MANAGER));
		model.addAttribute("weekdays", java.time.DayOfWeek.values());
		model.addAttribute("zone", this.clock.getZone());
		return "tasks/rules";
	}

	@PostMapping("/tasks/rules/templates")
	String template(@RequestParam(defaultValue = "") String title, @RequestParam dev.klinika.tasks.TaskKind kind,
			@RequestParam long branch, @RequestParam Role ownerRole,
			@RequestParam dev.klinika.tasks.TaskTemplates.Recurrence recurrence,
			@RequestParam(required = false) @Nullable Integer weekday,
			@RequestParam(required = false) @Nullable Integer monthDay, @RequestParam java.time.LocalTime at,
			RedirectAttributes redirect) {
		this.organization.branchOption(branch).orElseThrow(() -> new NoSuchElementException("Branch " + branch));
		try {
			Integer day = recurrence == dev.klinika.tasks.TaskTemplates.Recurrence.WEEKLY ? weekday
					: recurrence == dev.klinika.tasks.TaskTemplates.Recurrence.MONTHLY ? monthDay : null;
			this.templates.create(title, kind, branch, ownerRole, TaskPriority.NORMAL, recurrence, day, at);
			redirect.addFlashAttribute("flashKey", "flash.saved");
			redirect.addFlashAttribute("flashArg", "");
		}
		catch (TaskRefused refused) {
			redirect.addFlashAttribute("flashErrorKey", "task.refused." + refused.reason());
		}
		return "redirect:/tasks/rules#templates";
	}

	@PostMapping("/tasks/rules/templates/{id}/enabled")
	String enable(@PathVariable long id, @RequestParam(defaultValue = "false") boolean enabled) {
		this.templates.enable(id, enabled);
		return "redirect:/tasks/rules#templates";
	}

	@GetMapping("/tasks/rules/{id}")
	String rule(@PathVariable long id, Model model) {
		model.addAttribute("rule", rule(id));
		model.addAttribute("firings", this.automation.firings(id, 50));
		model.addAttribute("roles", List.of(Role.ADMIN, Role.SENIOR_ADMIN, Role.CONSULTANT, Role.DOCTOR, Role.MANAGER));
		model.addAttribute("priorities", TaskPriority.values());
		model.addAttribute("zone", this.clock.getZone());
		model.addAttribute("branches", this.organization.branchOptions());
		model.addAttribute("categories", this.categories.findAll());
		return "tasks/rule";
	}

	@PostMapping("/tasks/rules/{id}")
	String change(@PathVariable long id, @RequestParam int version,
			@RequestParam(defaultValue = "false") boolean enabled,
			@RequestParam(required = false) @Nullable String title,
			@RequestParam(required = false) @Nullable Role ownerRole,
			@RequestParam(required = false) @Nullable Integer delayMinutes,
			@RequestParam(required = false) @Nullable Integer delayDays,
			@RequestParam(required = false) @Nullable Integer leadDays,
			@RequestParam(required = false) @Nullable TaskPriority priority,
			@RequestParam(required = false) @Nullable List<Long> branchIds,
			@RequestParam(required = false) @Nullable List<Long> categoryIds,
			@RequestParam(defaultValue = "") String tag, @RequestParam(required = false) @Nullable Integer minAge,
			@RequestParam(required = false) @Nullable Integer maxAge,
			@RequestParam(defaultValue = "false") boolean noFutureBooking, RedirectAttributes redirect) {
		Automation.Rule rule = rule(id);
		Automation.Action old = rule.action();
		Automation.Action action = old.type() == Automation.ActionType.TASK
				? new Automation.Action(old.type(), old.kind(), title, ownerRole,
						old.delayMinutes() != null ? delayMinutes : null, old.delayDays() != null ? delayDays : null,
						old.leadDays() != null ? leadDays : null, priority, old.message(), old.tag())
				: old;
		try {
			Automation.Conditions conditions = new Automation.Conditions(branchIds, categoryIds,
					tag.isBlank() ? null : tag.trim(), minAge, maxAge, rule.conditions().noFutureBookingOfService(),
					noFutureBooking ? Boolean.TRUE : null);
			this.automation.change(id, version, enabled, action, conditions);
			redirect.addFlashAttribute("flashKey", "flash.saved");
			redirect.addFlashAttribute("flashArg", "");
		}
		catch (TaskRefused refused) {
			redirect.addFlashAttribute("flashErrorKey", "task.refused." + refused.reason());
		}
		catch (ConcurrentChange ex) {
			redirect.addFlashAttribute("flashErrorKey", "task.refused.CHANGED");
		}
		return "redirect:/tasks/rules/" + id;
	}

	private Automation.Rule rule(long id) {
		return this.automation.rules(null)
			.stream()
			.filter(rule -> rule.id() == id)
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("Rule " + id));
	}

}
