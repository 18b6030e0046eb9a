package dev.klinika.patients;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;

/**
 * Upload a table, correct the columns, see the dry run, import, and watch the progress.
 */
@Controller
@RequestMapping("/patients/import")
class ImportController {

	private final PatientImports imports;

	private final OrganizationQueries organization;

	private final PatientSources sources;

	ImportController(PatientImports imports, OrganizationQueries organization, PatientSources sources) {
		this.imports = imports;
		this.organization = organization;
		this.sources = sources;
	}

	@GetMapping
	String start(Model model) {
		model.addAttribute("branches", this.organization.branchOptions());
		model.addAttribute("sources", this.sources.findAllSorted());
		model.addAttribute("recent", this.imports.recent());
		return "patients/import";
	}

	@PostMapping
	String upload(@RequestParam("file") @Nullable MultipartFile file, @RequestParam long homeBranchId,
			@RequestParam(required = false) @Nullable Long sourceId, RedirectAttributes redirect) throws IOException {
		if (file == null || file.isEmpty()) {
			redirect.addFlashAttribute("flashErrorKey", "import.error.EMPTY");
			return "redirect:/patients/import";
		}
		if (this.organization.branchOptions().stream().noneMatch(branch -> branch.id() == homeBranchId)) {
			redirect.addFlashAttribute("flashErrorKey", "validation.unknown");
			return "redirect:/patients/import";
		}
		try {
			UUID id = this.imports.upload(String.valueOf(file.getOriginalFilename()), file.getBytes(), homeBranchId,
					sourceId != null && this.sources.findById(sourceId).isPresent() ? sourceId : null);
			return "redirect:/patients/import/" + id;
		}
		catch (RuntimeException ex) {
			redirect.addFlashAttribute("flashErrorKey", "import.error." + ImportErrors.reason(ex));
			return "redirect:/patients/import";
		}
	}

	@GetMapping("/{id}")
	String show(@PathVariable UUID id, @RequestHeader(name = "HX-Request", required = false) @Nullable String htmx,
			Model model) {
		var summary = this.imports.find(id).orElseThrow();
		model.addAttribute("summary", summary);
		model.addAttribute("fields", ImportField.values());
		model.addAttribute("issues", this.imports.issues(id, 200));
		return htmx != null ? "patients/import-detail :: progress" : "patients/import-detail";
	}

	@PostMapping("/{id}/check")
	String check(@PathVariable UUID id,
			@RequestParam(name = "mapping", required = false) @Nullable List<String> mapping,
			RedirectAttributes redirect) {
		var summary = this.imports.find(id).orElseThrow();
		List<ImportField> fields = new ArrayList<>();
		for (int i = 0; i < summary.headers().size(); i++) {
			String chosen = mapping != null && i < mapping.size() ? mapping.get(i) : "SKIP";
			fields.add(ImportField.valueOf(chosen.matches("[A-Z_0-9]+") ? chosen : "SKIP"));
		}
		try {
			this.imports.check(id, fields);
			redirect.addFlashAttribute("flashKey", "import.checked");
		}
		catch (RuntimeException ex) {
			redirect.addFlashAttribute("flashErrorKey", "import.error." + ImportErrors.reason(ex));
		}
		return "redirect:/patients/import/" + id;
	}

	@PostMapping("/{id}/run")
	String run(@PathVariable UUID id, @RequestParam(defaultValue = "false") boolean validOnly,
			RedirectAttributes redirect) {
		this.imports.find(id).orElseThrow();
		try {
			this.imports.start(id, validOnly);
		}
		catch (IllegalStateException ex) {
			redirect.addFlashAttribute("flashErrorKey", "import.error.INVALID_ROWS");
		}
		return "redirect:/patients/import/" + id;
	}

}
