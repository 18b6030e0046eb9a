package dev.klinika.patients;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The managed list of sources: how patients find the clinic. */
@Controller
@RequestMapping("/patients/sources")
class SourceController {

	private final PatientSources sources;

	private final PatientSourceManagement management;

	SourceController(PatientSources sources, PatientSourceManagement management) {
		this.sources = sources;
		this.management = management;
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("sources", this.sources.findAllSorted());
		return "patients/sources";
	}

	@PostMapping
	String add(@RequestParam String name, RedirectAttributes redirect) {
		String trimmed = name.trim();
		if (trimmed.isEmpty() || trimmed.length() > 100) {
			redirect.addFlashAttribute("flashErrorKey", "flash.source.invalid");
		}
		else if (this.sources.nameTaken(trimmed)) {
			redirect.addFlashAttribute("flashErrorKey", "validation.duplicate.name");
		}
		else {
			this.management.add(trimmed);
			redirect.addFlashAttribute("flashKey", "flash.source.created");
			redirect.addFlashAttribute("flashArg", trimmed);
		}
		return "redirect:/patients/sources";
	}

	@PostMapping("/{id}/deactivate")
	String deactivate(@PathVariable long id, RedirectAttributes redirect) {
		this.management.setActive(id, false);
		redirect.addFlashAttribute("flashKey", "flash.deactivated");
		return "redirect:/patients/sources";
	}

	@PostMapping("/{id}/activate")
	String activate(@PathVariable long id, RedirectAttributes redirect) {
		this.management.setActive(id, true);
		redirect.addFlashAttribute("flashKey", "flash.activated");
		return "redirect:/patients/sources";
	}

}
