package dev.klinika.leads;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The clinic's response promise and its list of lost reasons (owner and manager). */
@Controller
class LeadSettingsController {

	private final LeadSla sla;

	private final LostReasons reasons;

	private final LeadQueries queries;

	private final UtmSources utm;

	private final dev.klinika.patients.PatientSources sources;

	LeadSettingsController(LeadSla sla, LostReasons reasons, LeadQueries queries, UtmSources utm,
			dev.klinika.patients.PatientSources sources) {
		this.utm = utm;
		this.sources = sources;
		this.sla = sla;
		this.reasons = reasons;
		this.queries = queries;
	}

	@GetMapping("/leads/settings")
	String settings(Model model) {
		model.addAttribute("minutes", this.sla.minutes());
		model.addAttribute("reasons", this.queries.reasons(false));
		model.addAttribute("mappings", this.utm.mappings());
		model.addAttribute("sources", this.sources.findAllSorted());
		return "leads/settings";
	}

	@PostMapping("/leads/settings/sla")
	String sla(@RequestParam(defaultValue = "0") int minutes, RedirectAttributes redirect) {
		return done(() -> this.sla.change(minutes), redirect);
	}

	@PostMapping("/leads/settings/reasons")
	String add(@RequestParam(defaultValue = "") String name, RedirectAttributes redirect) {
		return done(() -> this.reasons.add(name), redirect);
	}

	@PostMapping("/leads/settings/reasons/{id}")
	String change(@PathVariable long id, @RequestParam(defaultValue = "") String name,
			@RequestParam(defaultValue = "false") boolean active, RedirectAttributes redirect) {
		return done(() -> this.reasons.change(id, name, active), redirect);
	}

	@PostMapping("/leads/settings/utm")
	String utm(@RequestParam(defaultValue = "") String tag,
			@RequestParam(required = false) @org.jspecify.annotations.Nullable Long source,
			RedirectAttributes redirect) {
		return done(() -> this.utm.map(tag, source), redirect);
	}

	private static String done(Runnable change, RedirectAttributes redirect) {
		try {
			change.run();
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		catch (Leads.LeadRefused ex) {
			redirect.addFlashAttribute("flashErrorKey", "leads.refused." + ex.reason());
		}
		return "redirect:/leads/settings";
	}

}
