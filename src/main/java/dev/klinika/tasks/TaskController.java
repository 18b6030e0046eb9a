package dev.klinika.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.organization.OrganizationQueries.BranchOption;
import dev.klinika.patients.PatientManagement;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.KlinikaUser;
import dev.klinika.security.Role;
import dev.klinika.shared.ConcurrentChange;

/**
 * My tasks, my branches' tasks, the overdue ones, a task with its comments, and the quick
 * actions: done with an outcome, postpone, give to someone else, cancel.
 */
@Controller
class TaskController {

	/** Cards per board column: the nearest due first; the lists show the rest. */
	static final int BOARD_COLUMN = 30;

	private final Tasks tasks;

	private final TaskQueries queries;

	private final OrganizationQueries organization;

	private final PatientManagement patients;

	private final CurrentUser currentUser;

	private final Clock clock;

	private final org.springframework.context.MessageSource messages;

	private final dev.klinika.security.Colleagues colleagues;

	private final List<CauseAccess> causes;

	private final dev.klinika.scheduling.VisibleAppointments appointments;

	TaskController(Tasks tasks, TaskQueries queries, OrganizationQueries organization, PatientManagement patients,
			CurrentUser currentUser, Clock clock, org.springframework.context.MessageSource messages,
			dev.klinika.security.Colleagues colleagues, List<CauseAccess> causes,
			dev.klinika.scheduling.VisibleAppointments appointments) {
		this.causes = causes;
		this.appointments = appointments;
		this.messages = messages;
		this.colleagues = colleagues;
		this.tasks = tasks;
		this.queries = queries;
		this.organization = organization;
		this.patients = patients;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	/** Tasks a list page shows. */
	static final int PAGE = 50;

	@GetMapping("/tasks")
	String list(@RequestParam(defaultValue = "MINE") TaskQueries.View view, @RequestParam(defaultValue = "0") int page,
			Model model) {
		KlinikaUser me = this.currentUser.get().orElseThrow();
		model.addAttribute("view", view);
		model.addAttribute("views", TaskQueries.View.values());
		model.addAttribute("tasks", this.queries.page(view, me, dev.klinika.shared.ListPage.number(page), PAGE));
		model.addAttribute("now", this.clock.instant());
		model.addAttribute("zone", zone());
		return "tasks/list";
	}

	@GetMapping("/tasks/board")
	String board(Model model) {
		model.addAttribute("board", this.queries.board(this.currentUser.get().orElseThrow(), BOARD_COLUMN));
		model.addAttribute("perColumn", BOARD_COLUMN);
		model.addAttribute("now", this.clock.instant());
		model.addAttribute("zone", zone());
		return "tasks/board";
	}

	@GetMapping("/tasks/new")
	String form(@RequestParam(required = false) @Nullable Long patient,
			@RequestParam(required = false) @Nullable Long appointment,
			@RequestParam(required = false) @Nullable Long call, @RequestParam(required = false) @Nullable Long lead,
			@RequestParam(required = false) @Nullable TaskKind kind, Model model) {
		requireLinks(patient, appointment, call, lead);
		List<BranchOption> branches = this.organization.branchOptions();
		model.addAttribute("branches", branches);
		model.addAttribute("patient", patient);
		model.addAttribute("patientName", patient == null ? null
				: this.patients.find(patient).filter(p -> !p.isErased()).map(p -> p.getFullName()).orElse(null));
		model.addAttribute("appointment", appointment);
		// A task from a call or a lead links back to it.
		model.addAttribute("call", call);
		model.addAttribute("lead", lead);
		model.addAttribute("kind", kind == null ? TaskKind.CALL_BACK : kind);
		model.addAttribute("kinds", TaskKind.values());
		model.addAttribute("priorities", TaskPriority.values());
		model.addAttribute("roles", List.of(Role.ADMIN, Role.SENIOR_ADMIN, Role.CONSULTANT, Role.DOCTOR, Role.MANAGER));
		model.addAttribute("owners", branches.isEmpty() ? List.of() : this.colleagues.of(branches.get(0).id()));
		model.addAttribute("due",
				LocalDateTime.now(this.clock.withZone(zone())).plusHours(1).withSecond(0).withNano(0));
		return "tasks/form";
	}

	@PostMapping("/tasks")
	String create(@RequestParam String title, @RequestParam TaskKind kind,
			@RequestParam(required = false) @Nullable Long patient, @RequestParam long branch,
			@RequestParam(defaultValue = "") String owner,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime due,
			@RequestParam(defaultValue = "NORMAL") TaskPriority priority, @RequestParam(defaultValue = "") String note,
			@RequestParam(required = false) @Nullable Long appointment,
			@RequestParam(required = false) @Nullable Long call, @RequestParam(required = false) @Nullable Long lead,
			RedirectAttributes redirect) {
		BranchOption option = this.organization.branchOption(branch)
			.orElseThrow(() -> new NoSuchElementException("Branch " + branch));
		requireLinks(patient, appointment, call, lead);
		try {
			Owner who = Owner.parse(owner, this.currentUser.get().orElseThrow());
			long id = this.tasks.create(new Tasks.NewTask(title, kind, patient, option.id(), who.user(), who.role(),
					due.atZone(option.zone()).toInstant(), priority, note,
					appointment != null ? "appointment" : call != null ? "call" : lead != null ? "lead" : null,
					appointment != null ? appointment : call != null ? call : lead, null, null));
			redirect.addFlashAttribute("flashKey", "flash.task.created");
			redirect.addFlashAttribute("flashArg", title.trim());
			return "redirect:/tasks/" + id;
		}
		catch (TaskRefused refused) {
			redirect.addFlashAttribute("flashErrorKey", "task.refused." + refused.reason());
			return "redirect:/tasks/new" + (patient != null ? "?patient=" + patient : "");
		}
	}

	/**
	 * A doctor hands the patient of a visit to a colleague or a consultant with a word;
	 * the colleague gets a task, the doctor sees in "given" whether it was done.
	 */
	@PostMapping("/tasks/handoff")
	String handoff(@RequestParam long patient, @RequestParam long branch,
			@RequestParam(required = false) @Nullable Long appointment, @RequestParam(defaultValue = "") String owner,
			@RequestParam(defaultValue = "") String comment, RedirectAttributes redirect) {
		BranchOption option = this.organization.branchOption(branch)
			.orElseThrow(() -> new NoSuchElementException("Branch " + branch));
		requireLinks(patient, appointment, null, null);
		try {
			if (!owner.startsWith("user:") && !owner.startsWith("role:")) {
				throw new TaskRefused("NO_OWNER");
			}
			if (comment.isBlank()) {
				throw new TaskRefused("COMMENT");
			}
			Owner who = Owner.parse(owner, this.currentUser.get().orElseThrow());
			String name = this.patients.find(patient).map(p -> p.getFullName()).orElse("");
			long id = this.tasks.create(new Tasks.NewTask(
					this.messages.getMessage("tasks.handoff.title", new Object[] { name },
							org.springframework.context.i18n.LocaleContextHolder.getLocale()),
					TaskKind.HAND_OFF, patient, option.id(), who.user(), who.role(),
					this.clock.instant().plus(Duration.ofDays(1)), TaskPriority.NORMAL, comment,
					appointment == null ? null : "appointment", appointment, null, null));
			redirect.addFlashAttribute("flashKey", "flash.task.handedOff");
			redirect.addFlashAttribute("flashArg", name);
			return "redirect:/tasks/" + id;
		}
		catch (TaskRefused refused) {
			redirect.addFlashAttribute("flashErrorKey", "task.refused." + refused.reason());
			return appointment != null ? "redirect:/scheduling/appointments/" + appointment
					: "redirect:/patients/" + patient;
		}
	}

	@GetMapping("/tasks/{id}")
	String task(@PathVariable long id, Model model) {
		// Anyone who sees the branch's task list may open its tasks; acting on one is for
		// its owner, its role, the supervisors and whoever set it.
		KlinikaUser me = this.currentUser.get().orElseThrow();
		Task task = this.tasks.find(id)
			.filter(found -> Tasks.readableBy(found, me))
			.orElseThrow(() -> new NoSuchElementException("Task " + id));
		model.addAttribute("mayAct", Tasks.visibleTo(task, me));
		model.addAttribute("task", task);
		model.addAttribute("comments", this.tasks.comments(id));
		model.addAttribute("now", this.clock.instant());
		model.addAttribute("zone", zone());
		model.addAttribute("roles", List.of(Role.ADMIN, Role.SENIOR_ADMIN, Role.CONSULTANT, Role.DOCTOR, Role.MANAGER));
		model.addAttribute("owners", this.colleagues.of(task.branchId()));
		return "tasks/task";
	}

	@PostMapping("/tasks/{id}/start")
	String start(@PathVariable long id, @RequestParam int version, @RequestParam(defaultValue = "") String back,
			RedirectAttributes redirect) {
		visible(id);
		String target = act(id, redirect, () -> this.tasks.start(id, version));
		return "board".equals(back) ? "redirect:/tasks/board" : target;
	}

	@PostMapping("/tasks/{id}/done")
	String done(@PathVariable long id, @RequestParam int version, @RequestParam(defaultValue = "") String outcome,
			@RequestParam(defaultValue = "") String back, RedirectAttributes redirect) {
		visible(id);
		String target = act(id, redirect, () -> this.tasks.complete(id, version, outcome));
		return "list".equals(back) ? "redirect:/tasks" : target;
	}

	@PostMapping("/tasks/{id}/cancel")
	String cancel(@PathVariable long id, @RequestParam int version, @RequestParam(defaultValue = "") String reason,
			RedirectAttributes redirect) {
		visible(id);
		return act(id, redirect, () -> this.tasks.cancel(id, version, reason));
	}

	@PostMapping("/tasks/{id}/postpone")
	String postpone(@PathVariable long id, @RequestParam int version,
			@RequestParam(required = false) @Nullable Integer hours,
			@RequestParam(required = false) @DateTimeFormat(
					iso = DateTimeFormat.ISO.DATE_TIME) @Nullable LocalDateTime until,
			@RequestParam(defaultValue = "") String back, RedirectAttributes redirect) {
		visible(id);
		Instant due = until != null ? until.atZone(zone()).toInstant() : this.clock.instant()
			.plus(Duration.ofHours(hours == null ? 1 : Math.max(1, Math.min(hours, 24 * 30))));
		String target = act(id, redirect, () -> this.tasks.postpone(id, version, due));
		// The consultant's pathways list offers the same postponing (an address, no
		// call).
		return "list".equals(back) ? "redirect:/tasks" : "pathways".equals(back) ? "redirect:/care/pathways" : target;
	}

	@PostMapping("/tasks/{id}/reassign")
	String reassign(@PathVariable long id, @RequestParam int version, @RequestParam String owner,
			RedirectAttributes redirect) {
		visible(id);
		return act(id, redirect, () -> {
			Owner who = Owner.parse(owner, this.currentUser.get().orElseThrow());
			this.tasks.reassign(id, version, who.user(), who.role());
		});
	}

	@PostMapping("/tasks/{id}/comments")
	String comment(@PathVariable long id, @RequestParam(defaultValue = "") String text, RedirectAttributes redirect) {
		visible(id);
		return act(id, redirect, () -> this.tasks.comment(id, text));
	}

	/** "user:12", "role:ADMIN", or empty for the login itself. */
	record Owner(@Nullable Long user, @Nullable Role role) {

		static Owner parse(String text, KlinikaUser me) {
			try {
				if (text.startsWith("user:")) {
					return new Owner(Long.valueOf(text.substring(5)), null);
				}
				if (text.startsWith("role:")) {
					return new Owner(null, Role.valueOf(text.substring(5)));
				}
			}
			catch (IllegalArgumentException ex) {
				throw new TaskRefused("NO_OWNER");
			}
			return new Owner(me.id(), null);
		}

	}

	private String act(long id, RedirectAttributes redirect, Runnable change) {
		try {
			change.run();
			redirect.addFlashAttribute("flashKey", "flash.saved");
			redirect.addFlashAttribute("flashArg", "");
		}
		catch (Tasks.TaskAlreadyClosed closed) {
			redirect.addFlashAttribute("flashErrorKey", "task.refused.ALREADY_CLOSED");
		}
		catch (TaskRefused refused) {
			redirect.addFlashAttribute("flashErrorKey", "task.refused." + refused.reason());
		}
		catch (ConcurrentChange ex) {
			redirect.addFlashAttribute("flashErrorKey", "task.refused.CHANGED");
		}
		return "redirect:/tasks/" + id;
	}

	/**
	 * A task may name only a card, visit, call or lead the login sees: another branch's
	 * is not there (404), and nothing is saved.
	 */
	private void requireLinks(@Nullable Long patient, @Nullable Long appointment, @Nullable Long call,
			@Nullable Long lead) {
		if (patient != null) {
			this.patients.require(patient);
		}
		if (appointment != null) {
			this.appointments.require(appointment);
		}
		requireCause("call", call);
		requireCause("lead", lead);
	}

	private void requireCause(String type, @Nullable Long id) {
		if (id != null && this.causes.stream().noneMatch(access -> access.type().equals(type) && access.visible(id))) {
			throw new NoSuchElementException(type + " " + id);
		}
	}

	private Task visible(long id) {
		KlinikaUser me = this.currentUser.get().orElseThrow();
		return this.tasks.find(id)
			.filter(task -> Tasks.visibleTo(task, me))
			.orElseThrow(() -> new NoSuchElementException("Task " + id));
	}

	private ZoneId zone() {
		return this.organization.workingZone(this.currentUser.selectedBranch(), this.clock.getZone());
	}

}
