package dev.klinika.patients;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A patient's requests under 152-FZ: their data as a file or a page, and erasure. */
@Controller
@RequestMapping("/patients/{id}/rights")
class RightsController {

	private final PatientRights rights;

	private final PatientManagement patients;

	RightsController(PatientRights rights, PatientManagement patients) {
		this.rights = rights;
		this.patients = patients;
	}

	@GetMapping
	String page(@PathVariable long id, Model model) {
		Patient patient = this.patients.find(id).orElseThrow();
		model.addAttribute("patient", patient);
		model.addAttribute("data", this.rights.export(id));
		return "patients/rights";
	}

	@GetMapping(value = "/export.json", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> json(@PathVariable long id) {
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"patient-" + id + ".json\"")
			.body(this.rights.export(id));
	}

	@PostMapping("/erase")
	String erase(@PathVariable long id, @RequestParam(defaultValue = "") String request,
			@RequestParam(defaultValue = "") String confirm, RedirectAttributes redirect) {
		Patient patient = this.patients.find(id).orElseThrow();
		if (request.isBlank() || request.length() > 200 || !"УДАЛИТЬ".equals(confirm.trim().toUpperCase())) {
			redirect.addFlashAttribute("flashErrorKey", "flash.erase.invalid");
			return "redirect:/patients/" + id + "/rights";
		}
		this.rights.erase(patient.getId(), request.trim());
		redirect.addFlashAttribute("flashKey", "flash.erased");
		return "redirect:/patients/" + id;
	}

}
