package dev.klinika.patients;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;

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
		String name = "patients-" + LocalDate.now();
		int count;
		if ("csv".equals(format)) {
			response.setContentType("text/csv; charset=UTF-8");
			response.setHeader("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
			OutputStream out = response.getOutputStream();
			out.write(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
			Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setDelimiter(';').get());
			csv.printRecord(headers);
			count = this.export.each(query, this.currentUser.workingScope(), row -> print(csv, row));
			csv.flush();
		}
		else {
			response.setContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
			response.setHeader("Content-Disposition", "attachment; filename=\"" + name + ".xlsx\"");
			// SXSSF keeps 100 rows in memory and the rest in a temporary file.
			try (SXSSFWorkbook workbook = new SXSSFWorkbook(100)) {
				SXSSFSheet sheet = workbook.createSheet("Patients");
				Row header = sheet.createRow(0);
				for (int i = 0; i < headers.size(); i++) {
					header.createCell(i).setCellValue(headers.get(i));
				}
				int[] next = { 1 };
				count = this.export.each(query, this.currentUser.workingScope(), row -> {
					Row line = sheet.createRow(next[0]++);
					line.createCell(0).setCellValue(row.id());
					line.createCell(1).setCellValue(cell(row.fullName()));
					line.createCell(2).setCellValue(row.birthDate() == null ? "" : row.birthDate().toString());
					line.createCell(3).setCellValue(row.phone() == null ? "" : row.phone());
					line.createCell(4).setCellValue(row.email() == null ? "" : row.email());
					line.createCell(5).setCellValue(row.branch());
				});
				workbook.write(response.getOutputStream());
			}
		}
		this.audit.record("PATIENTS_EXPORTED", "patient", null,
				format + ", " + count + " rows, query \"" + query + "\"");
	}

	/** Text that Excel would run as a formula ("=HYPERLINK(...)") is written as text. */
	static String cell(String value) {
		if (value == null) {
			return "";
		}
		return !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
	}

	private static void print(CSVPrinter csv, PatientSearch.Row row) {
		try {
			csv.printRecord(row.id(), cell(row.fullName()), row.birthDate() == null ? "" : row.birthDate(),
					row.phone() == null ? "" : row.phone(), cell(row.email()), cell(row.branch()));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
