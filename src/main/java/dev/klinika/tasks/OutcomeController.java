package dev.klinika.tasks;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.security.Colleagues;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.Role;

/**
 * Whether anyone falls through: recall and no-show coverage, the patients nobody holds
 * any more, and one button to turn them into a call-out list split between admins.
 */
@Controller
class OutcomeController {

	private final Outcome outcome;

	private final Tasks tasks;

	private final Colleagues colleagues;

	private final CurrentUser currentUser;

	private final Clock clock;

	OutcomeController(Outcome outcome, Tasks tasks, Colleagues colleagues, CurrentUser currentUser, Clock clock) {
		this.outcome = outcome;
		this.tasks = tasks;
		this.colleagues = colleagues;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	@GetMapping("/tasks/outcome")
	String outcome(@RequestParam(defaultValue = "FELL_THROUGH") Outcome.Filter filter,
			@RequestParam(defaultValue = "") String tag, @RequestParam(defaultValue = "12") int months, Model model) {
		var scope = this.currentUser.workingScope();
		model.addAttribute("figures", this.outcome.figures(scope));
		model.addAttribute("filter", filter);
		model.addAttribute("filters", Outcome.Filter.values());
		model.addAttribute("tag", tag);
		model.addAttribute("months", months);
		try {
			model.addAttribute("lost", this.outcome.patients(filter, tag, months, scope, 200));
			model.addAttribute("total", this.outcome.count(filter, tag, months, scope));
		}
		catch (TaskRefused refused) {
			model.addAttribute("lost", List.of());
			model.addAttribute("total", 0);
			model.addAttribute("filterError", "task.refused." + refused.reason());
		}
		List<Colleagues.Colleague> people = new ArrayList<>();
		this.currentUser.selectedBranch().ifPresent(branch -> people.addAll(this.colleagues.of(branch)));
		model.addAttribute("people", people);
		return "tasks/outcome";
	}

	@PostMapping("/tasks/outcome/call-out")
	String callOut(@RequestParam(defaultValue = "FELL_THROUGH") Outcome.Filter filter,
			@RequestParam(defaultValue = "") String tag, @RequestParam(defaultValue = "12") int months,
			@RequestParam(required = false) @Nullable List<Long> owners, @RequestParam(defaultValue = "") String title,
			RedirectAttributes redirect) {
		var scope = this.currentUser.workingScope();
		try {
			List<Long> patients = this.outcome.patients(filter, tag, months, scope, 100_000)
				.stream()
				.map(Outcome.Lost::patientId)
				.toList();
			int made = this.tasks.callOut(patients, owners == null ? List.of() : owners,
					owners == null || owners.isEmpty() ? Role.ADMIN : null, title,
					this.clock.instant().plus(Duration.ofHours(4)));
			redirect.addFlashAttribute("flashKey", "flash.callOut");
			redirect.addFlashAttribute("flashArg", made);
		}
		catch (TaskRefused refused) {
			redirect.addFlashAttribute("flashErrorKey", "task.refused." + refused.reason());
		}
		return "redirect:/tasks/outcome?filter=" + filter + "&months=" + months + "&tag="
				+ java.net.URLEncoder.encode(tag, java.nio.charset.StandardCharsets.UTF_8);
	}

}
