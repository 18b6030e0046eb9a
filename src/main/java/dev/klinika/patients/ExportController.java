package dev.klinika.patients;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.TableDownload;

/**
 * A list of patients as CSV (for Excel: UTF-8 with BOM, ";") or XLSX, streamed; audited.
 */
@Controller
class ExportController {

	private final PatientExport export;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	private final MessageSource messages;

	ExportController(PatientExport export, CurrentUser currentUser, AuditLog audit, MessageSource messages) {
		this.export = export;
		this.currentUser = currentUser;
		this.audit = audit;
		this.messages = messages;
	}

	@GetMapping("/patients/export")
	void export(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "xlsx") String format,
			Locale locale, HttpServletResponse response) throws IOException {
		String query = q.length() > 200 ? q.substring(0, 200) : q;
		List<String> headers = List.of("id", "fullName", "birthDate", "phone", "email", "branch")
			.stream()
			.map(key -> this.messages.getMessage("export.column." + key, null, locale))
			.toList();
		int count;
		try (TableDownload table = TableDownload.start(response, "patients-" + LocalDate.now(), format, "Patients",
				headers)) {
			count = this.export.each(query, this.currentUser.workingScope(), row -> table.row(java.util.Arrays
				.asList(row.id(), row.fullName(), row.birthDate(), row.phone(), row.email(), row.branch())));
		}
		this.audit.record("PATIENTS_EXPORTED", "patient", null,
				format + ", " + count + " rows, query \"" + query + "\"");
	}

}
