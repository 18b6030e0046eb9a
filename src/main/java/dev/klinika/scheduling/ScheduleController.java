package dev.klinika.scheduling;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.organization.Specialties;
import dev.klinika.security.CurrentUser;

/**
 * The day grid of a branch: staff on shift as columns, quarter-hour rows, appointments by
 * status.
 */
@Controller
class ScheduleController {

	private final DayGrid grid;

	private final OrganizationQueries organization;

	private final Specialties specialties;

	private final CurrentUser currentUser;

	private final Clock clock;

	private final dev.klinika.patients.PatientManagement cards;

	ScheduleController(DayGrid grid, OrganizationQueries organization, Specialties specialties, CurrentUser currentUser,
			Clock clock, dev.klinika.patients.PatientManagement cards) {
		this.cards = cards;
		this.grid = grid;
		this.organization = organization;
		this.specialties = specialties;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	@GetMapping("/scheduling/day")
	String day(@RequestParam(required = false) @Nullable Long branch,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate date,
			@RequestParam(required = false) @Nullable Long specialty,
			@RequestParam(required = false) @Nullable Long patient, Model model) {
		var branches = this.organization.branchOptions();
		Long chosen = branch != null ? branch : this.currentUser.selectedBranch().orElse(null);
		var option = branches.stream().filter(b -> chosen == null || b.id() == chosen).findFirst().orElseThrow();
		ZoneId zone = option.zone();
		LocalDate day = date != null ? date : LocalDate.now(this.clock.withZone(zone));
		model.addAttribute("branches", branches);
		model.addAttribute("branch", option);
		model.addAttribute("specialties", this.specialties.findActive());
		model.addAttribute("specialty", specialty);
		model.addAttribute("grid", this.grid.of(option.id(), zone, day, specialty));
		model.addAttribute("statuses", dev.klinika.scheduling.AppointmentStatus.values());
		model.addAttribute("canBook",
				this.currentUser.may(org.springframework.http.HttpMethod.POST, "/scheduling/book"));
		BookFor.describe(model, this.cards, patient);
		model.addAttribute("zoneDiffers", !zone.getRules().equals(this.clock.getZone().getRules()));
		return "scheduling/day";
	}

}
