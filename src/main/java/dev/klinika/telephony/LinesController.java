package dev.klinika.telephony;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.patients.PatientSources;

/**
 * The clinic's numbers and tracking numbers (which branch each rings in, which ad source
 * and campaign it was bought for, its calls and missed calls of the last 30 days), the
 * PBX extensions' logins, and the fake PBX that plays a call into the app.
 */
@Controller
class LinesController {

	private final PhoneLines lines;

	private final OrganizationQueries organization;

	private final PatientSources sources;

	private final CallSimulator simulator;

	private final dev.klinika.security.CurrentUser currentUser;

	private final dev.klinika.security.UserManagement users;

	private final dev.klinika.security.Colleagues colleagues;

	LinesController(PhoneLines lines, OrganizationQueries organization, PatientSources sources, CallSimulator simulator,
			dev.klinika.security.CurrentUser currentUser, dev.klinika.security.UserManagement users,
			dev.klinika.security.Colleagues colleagues) {
		this.users = users;
		this.colleagues = colleagues;
		this.currentUser = currentUser;
		this.lines = lines;
		this.organization = organization;
		this.sources = sources;
		this.simulator = simulator;
	}

	@GetMapping("/telephony/lines")
	String lines(Model model) {
		model.addAttribute("lines", this.lines.lines());
		var extensions = this.lines.extensions();
		model.addAttribute("extensions", extensions);
		// Who each extension is, by name; the extensions calls named that nobody mapped;
		// the
		// logins to choose from.
		model.addAttribute("extensionNames", this.colleagues.names(
				extensions.stream().map(PhoneLines.Extension::username).collect(java.util.stream.Collectors.toSet())));
		model.addAttribute("unmapped", this.lines.unmappedExtensions());
		model.addAttribute("users", this.users.all().stream().filter(u -> u.isEnabled()).toList());
		model.addAttribute("branches", this.organization.branchOptions());
		model.addAttribute("sources", this.sources.findAllSorted());
		model.addAttribute("simulator", this.simulator.enabled());
		model.addAttribute("simulatorLines", testLines());
		model.addAttribute("canEdit",
				this.currentUser.may(org.springframework.http.HttpMethod.POST, "/telephony/lines"));
		return "telephony/lines";
	}

	private java.util.List<PhoneLines.Line> testLines() {
		var scope = this.currentUser.scope();
		return this.lines.lines()
			.stream()
			.filter(l -> l.active() && (l.branchId() == null || scope.includes(l.branchId())))
			.toList();
	}

	@PostMapping("/telephony/lines")
	String save(@RequestParam(defaultValue = "") String number, @RequestParam(required = false) @Nullable Long branch,
			@RequestParam(required = false) @Nullable Long source,
			@RequestParam(required = false) @Nullable String campaign,
			@RequestParam(defaultValue = "false") boolean active, RedirectAttributes redirect) {
		try {
			String saved = this.lines.save(number, branch, source, campaign, active);
			redirect.addFlashAttribute("flashKey", "telephony.lines.saved");
			redirect.addFlashAttribute("flashArg", saved);
		}
		catch (PhoneLines.LineRefused ex) {
			redirect.addFlashAttribute("flashErrorKey", "telephony.lines.refused." + ex.getMessage());
		}
		return "redirect:/telephony/lines";
	}

	@PostMapping("/telephony/lines/extensions")
	String extension(@RequestParam(defaultValue = "") String pbxId,
			@RequestParam(required = false) @Nullable String username, RedirectAttributes redirect) {
		try {
			this.lines.extension(pbxId, username);
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		catch (PhoneLines.LineRefused ex) {
			redirect.addFlashAttribute("flashErrorKey", "telephony.lines.refused." + ex.getMessage());
		}
		return "redirect:/telephony/lines";
	}

	/**
	 * The fake PBX: a call from the number to the line, ending as asked after a few
	 * seconds.
	 */
	@PostMapping("/telephony/lines/simulate")
	String simulate(@RequestParam(defaultValue = "") String line, @RequestParam(defaultValue = "") String caller,
			@RequestParam(defaultValue = "MISSED") CallSimulator.Ending ending, RedirectAttributes redirect) {
		if (!this.simulator.enabled()) {
			redirect.addFlashAttribute("flashErrorKey", "telephony.simulator.off");
			return "redirect:/telephony/lines";
		}
		if (testLines().stream().noneMatch(mine -> mine.number().equals(line))) {
			// A test call rings only on a line of the login's branches (or one no branch
			// owns).
			redirect.addFlashAttribute("flashErrorKey", "telephony.simulator.line");
			return "redirect:/telephony/lines";
		}
		this.simulator.play(line, caller, ending, Duration.ofSeconds(8));
		redirect.addFlashAttribute("flashKey", "telephony.simulator.played");
		return "redirect:/telephony/lines";
	}

}
