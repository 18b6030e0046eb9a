package dev.klinika.patients;

import java.util.HashMap;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.security.CurrentUser;

/** The duplicates list, and the merge screen that picks each field's surviving value. */
@Controller
class MergeController {

	private final DuplicatePairs pairs;

	private final PatientMerge merge;

	private final PatientManagement patients;

	private final CurrentUser currentUser;

	MergeController(DuplicatePairs pairs, PatientMerge merge, PatientManagement patients, CurrentUser currentUser) {
		this.pairs = pairs;
		this.merge = merge;
		this.patients = patients;
		this.currentUser = currentUser;
	}

	@GetMapping("/patients/duplicates")
	String duplicates(Model model) {
		model.addAttribute("pairs", this.pairs.find(this.currentUser.scope(), 100));
		return "patients/duplicates";
	}

	@PostMapping("/patients/duplicates/different")
	String different(@RequestParam long a, @RequestParam long b, RedirectAttributes redirect) {
		this.merge.markDifferent(a, b);
		redirect.addFlashAttribute("flashKey", "flash.duplicates.different");
		return "redirect:/patients/duplicates";
	}

	@GetMapping("/patients/merge")
	String compare(@RequestParam long a, @RequestParam long b, Model model) {
		Patient first = live(a);
		Patient second = live(b);
		model.addAttribute("a", first);
		model.addAttribute("b", second);
		model.addAttribute("fields", PatientMerge.FIELDS);
		return "patients/merge";
	}

	@PostMapping("/patients/merge")
	String merge(@RequestParam long a, @RequestParam long b, @RequestParam long survivor,
			@RequestParam Map<String, String> form, RedirectAttributes redirect) {
		if (survivor != a && survivor != b) {
			throw new java.util.NoSuchElementException("Survivor " + survivor + " is neither card");
		}
		long merged = survivor == a ? b : a;
		Map<String, Long> choices = new HashMap<>();
		for (String field : PatientMerge.FIELDS) {
			String chosen = form.get("choice." + field);
			if (chosen != null && chosen.matches("\\d{1,18}")) {
				choices.put(field, Long.valueOf(chosen));
			}
		}
		live(survivor);
		live(merged);
		Patient result = this.merge.merge(survivor, merged, choices);
		redirect.addFlashAttribute("flashKey", "flash.patient.merged");
		redirect.addFlashAttribute("flashArg", result.getFullName());
		return "redirect:/patients/" + result.getId();
	}

	private Patient live(long id) {
		Patient patient = this.patients.find(id).orElseThrow();
		if (patient.getMergedInto() != null || patient.isErased()) {
			throw new java.util.NoSuchElementException("Patient " + id + " is no longer a live card");
		}
		return patient;
	}

}
