package dev.klinika.scheduling;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.organization.OrganizationQueries.BranchOption;
import dev.klinika.organization.StaffMember;
import dev.klinika.organization.StaffMembers;
import dev.klinika.security.CurrentUser;

/**
 * A staff member's working time in a branch: the working pattern from a date on (weekly,
 * two-week rotations, 2/2 shifts, breaks as two stretches a day), dates with other hours
 * or days off, absences, and their own durations of services.
 */
@Controller
class WorkingTimeController {

	private final WorkPatterns patterns;

	private final StaffDurations durations;

	private final StaffMembers staff;

	private final BookingQueries queries;

	private final OrganizationQueries organization;

	private final CurrentUser currentUser;

	private final Clock clock;

	WorkingTimeController(WorkPatterns patterns, StaffDurations durations, StaffMembers staff, BookingQueries queries,
			OrganizationQueries organization, CurrentUser currentUser, Clock clock) {
		this.patterns = patterns;
		this.durations = durations;
		this.staff = staff;
		this.queries = queries;
		this.organization = organization;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	@GetMapping("/scheduling/staff/{id}")
	String show(@PathVariable long id, @RequestParam(required = false) @Nullable Long branch,
			@RequestParam(required = false) @Nullable Integer cycle,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
			Model model) {
		StaffMember member = member(id);
		List<BranchOption> branches = this.organization.branchOptions()
			.stream()
			.filter(b -> member.getBranchIds().contains(b.id()))
			.toList();
		BranchOption option = branches.stream()
			.filter(b -> branch == null || b.id() == branch)
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("Staff " + id + " does not work in a branch of the login"));
		LocalDate today = LocalDate.now(this.clock.withZone(option.zone()));
		List<WorkPatterns.Pattern> all = this.patterns.patterns(id, option.id());
		WorkPatterns.Pattern current = all.stream().filter(p -> !p.validFrom().isAfter(today)).findFirst().orElse(null);
		LocalDate newFrom = from != null ? from : today.with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
		int newCycle = cycle != null && cycle >= 1 && cycle <= 28 ? cycle : current != null ? current.cycleDays() : 7;
		model.addAttribute("member", member);
		model.addAttribute("branches", branches);
		model.addAttribute("branch", option);
		model.addAttribute("patterns", all);
		model.addAttribute("current", current);
		model.addAttribute("newFrom", newFrom);
		model.addAttribute("newCycle", newCycle);
		model.addAttribute("newDays", draft(current, newFrom, newCycle));
		model.addAttribute("exceptions", this.patterns.exceptions(id, option.id(), today));
		model.addAttribute("absences", this.patterns.absences(id, this.clock.instant()));
		model.addAttribute("kinds", List.of("VACATION", "SICK_LEAVE", "TRAINING", "OTHER"));
		model.addAttribute("zone", option.zone());
		model.addAttribute("today", today);
		model.addAttribute("services", this.queries.services(id, option.id()));
		model.addAttribute("own", this.durations.ownOf(id));
		model.addAttribute("canEdit", this.currentUser.may(HttpMethod.POST, "/scheduling/staff/" + id + "/pattern"));
		return "scheduling/staff";
	}

	/**
	 * A day of the cycle on the form: its label and up to two stretches (a break
	 * between).
	 */
	record DraftDay(int index, LocalDate date, @Nullable LocalTime from1, @Nullable LocalTime to1,
			@Nullable LocalTime from2, @Nullable LocalTime to2) {
	}

	/** The form's days, filled from the pattern in force where the cycles line up. */
	private static List<DraftDay> draft(WorkPatterns.@Nullable Pattern current, LocalDate from, int cycle) {
		List<DraftDay> days = new ArrayList<>();
		for (int i = 0; i < cycle; i++) {
			LocalDate date = from.plusDays(i);
			List<WorkPatterns.Stretch> stretches = List.of();
			if (current != null) {
				int index = (int) Math.floorMod(java.time.temporal.ChronoUnit.DAYS.between(current.validFrom(), date),
						(long) current.cycleDays());
				stretches = current.stretches().stream().filter(s -> s.dayIndex() == index).toList();
			}
			days.add(new DraftDay(i, date, stretches.size() > 0 ? stretches.get(0).starts() : null,
					stretches.size() > 0 ? stretches.get(0).ends() : null,
					stretches.size() > 1 ? stretches.get(1).starts() : null,
					stretches.size() > 1 ? stretches.get(1).ends() : null));
		}
		return days;
	}

	@PostMapping("/scheduling/staff/{id}/pattern")
	String pattern(@PathVariable long id, @RequestParam long branch,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from, @RequestParam int cycle,
			@RequestParam Map<String, String> form, RedirectAttributes redirect) {
		inBranch(id, branch);
		try {
			if (cycle < 1 || cycle > 28) {
				throw new IllegalArgumentException("cycle");
			}
			List<WorkPatterns.Stretch> stretches = new ArrayList<>();
			for (int i = 0; i < cycle; i++) {
				for (int k = 1; k <= 2; k++) {
					LocalTime starts = time(form.get("from" + k + "_" + i));
					LocalTime ends = time(form.get("to" + k + "_" + i));
					if (starts == null && ends == null) {
						continue;
					}
					if (starts == null || ends == null || !ends.isAfter(starts)) {
						throw new IllegalArgumentException("stretch " + i);
					}
					stretches.add(new WorkPatterns.Stretch(i, starts, ends));
				}
			}
			if (overlapping(stretches)) {
				throw new IllegalArgumentException("overlap");
			}
			this.patterns.set(id, branch, from, cycle, stretches);
			redirect.addFlashAttribute("flashKey", "flash.pattern.saved");
			redirect.addFlashAttribute("flashArg", from);
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			redirect.addFlashAttribute("flashErrorKey", "worktime.error.pattern");
		}
		return "redirect:/scheduling/staff/" + id + "?branch=" + branch;
	}

	@PostMapping("/scheduling/staff/{id}/exceptions")
	String exception(@PathVariable long id, @RequestParam long branch,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate day,
			@RequestParam(defaultValue = "") String from1, @RequestParam(defaultValue = "") String to1,
			@RequestParam(defaultValue = "") String from2, @RequestParam(defaultValue = "") String to2,
			@RequestParam(defaultValue = "") String note, RedirectAttributes redirect) {
		ZoneId zone = inBranch(id, branch).zone();
		try {
			List<WorkPatterns.Stretch> stretches = new ArrayList<>();
			for (String[] pair : new String[][] { { from1, to1 }, { from2, to2 } }) {
				LocalTime starts = time(pair[0]);
				LocalTime ends = time(pair[1]);
				if (starts == null && ends == null) {
					continue;
				}
				if (starts == null || ends == null || !ends.isAfter(starts)) {
					throw new IllegalArgumentException("stretch");
				}
				stretches.add(new WorkPatterns.Stretch(0, starts, ends));
			}
			if (overlapping(stretches) || note.length() > 200
					|| day.isBefore(LocalDate.now(this.clock.withZone(zone)))) {
				throw new IllegalArgumentException("exception");
			}
			this.patterns.exception(id, branch, day, stretches, note);
			redirect.addFlashAttribute("flashKey", "flash.saved");
			redirect.addFlashAttribute("flashArg", "");
			warnAboutVisits(id, stretches.isEmpty()
					? new TimeSpan(day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant())
					: null, redirect);
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			redirect.addFlashAttribute("flashErrorKey", "worktime.error.exception");
		}
		return "redirect:/scheduling/staff/" + id + "?branch=" + branch;
	}

	@PostMapping("/scheduling/staff/{id}/exceptions/remove")
	String removeException(@PathVariable long id, @RequestParam long branch,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate day) {
		inBranch(id, branch);
		this.patterns.removeException(id, branch, day);
		return "redirect:/scheduling/staff/" + id + "?branch=" + branch;
	}

	@PostMapping("/scheduling/staff/{id}/absences")
	String absence(@PathVariable long id, @RequestParam long branch, @RequestParam String kind,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime to,
			@RequestParam(defaultValue = "") String note, RedirectAttributes redirect) {
		ZoneId zone = inBranch(id, branch).zone();
		if (!List.of("VACATION", "SICK_LEAVE", "TRAINING", "OTHER").contains(kind) || !to.isAfter(from)
				|| note.length() > 200 || to.isAfter(from.plusYears(1))) {
			redirect.addFlashAttribute("flashErrorKey", "worktime.error.absence");
			return "redirect:/scheduling/staff/" + id + "?branch=" + branch;
		}
		TimeSpan during = new TimeSpan(from.atZone(zone).toInstant(), to.atZone(zone).toInstant());
		this.patterns.absence(id, kind, during, note.isBlank() ? null : note.trim());
		redirect.addFlashAttribute("flashKey", "flash.saved");
		redirect.addFlashAttribute("flashArg", "");
		warnAboutVisits(id, during, redirect);
		return "redirect:/scheduling/staff/" + id + "?branch=" + branch;
	}

	@PostMapping("/scheduling/staff/{id}/absences/{absence}/remove")
	String removeAbsence(@PathVariable long id, @PathVariable long absence, @RequestParam long branch) {
		inBranch(id, branch);
		this.patterns.removeAbsence(id, absence);
		return "redirect:/scheduling/staff/" + id + "?branch=" + branch;
	}

	@PostMapping("/scheduling/staff/{id}/durations")
	String duration(@PathVariable long id, @RequestParam long branch, @RequestParam long service,
			@RequestParam(defaultValue = "") String minutes, RedirectAttributes redirect) {
		inBranch(id, branch);
		try {
			this.durations.set(id, service, minutes.isBlank() ? null : Integer.valueOf(minutes.trim()));
			redirect.addFlashAttribute("flashKey", "flash.saved");
			redirect.addFlashAttribute("flashArg", "");
		}
		catch (NumberFormatException | BookingRefused ex) {
			redirect.addFlashAttribute("flashErrorKey", "booking.refused.DURATION");
		}
		return "redirect:/scheduling/staff/" + id + "?branch=" + branch + "#durations";
	}

	/**
	 * Visits already booked in time the staff member will not work: the reception must
	 * move them.
	 */
	private void warnAboutVisits(long id, @Nullable TimeSpan during, RedirectAttributes redirect) {
		if (during != null && this.patterns.visitsDuring(id, during) > 0) {
			redirect.addFlashAttribute("flashErrorKey", "worktime.visitsStranded");
		}
	}

	private static boolean overlapping(List<WorkPatterns.Stretch> stretches) {
		for (WorkPatterns.Stretch a : stretches) {
			for (WorkPatterns.Stretch b : stretches) {
				if (a != b && a.dayIndex() == b.dayIndex() && a.starts().isBefore(b.ends())
						&& b.starts().isBefore(a.ends())) {
					return true;
				}
			}
		}
		return false;
	}

	private static @Nullable LocalTime time(@Nullable String text) {
		return text == null || text.isBlank() ? null : LocalTime.parse(text.trim());
	}

	private StaffMember member(long id) {
		return this.staff.findById(id).orElseThrow(() -> new NoSuchElementException("Staff " + id));
	}

	/** The branch, if both the staff member and the login work there. */
	private BranchOption inBranch(long id, long branch) {
		StaffMember member = member(id);
		return this.organization.branchOption(branch)
			.filter(b -> member.getBranchIds().contains(branch))
			.orElseThrow(() -> new NoSuchElementException("Branch " + branch));
	}

}
