package dev.klinika.care;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.TableDownload;

/**
 * The care report over a period of prescriptions (the last 90 days by default, at most a
 * year), days in the selected branch's zone; the same table as CSV or XLSX.
 */
@Controller
class CareReportController {

	private final PathwayReport report;

	private final CurrentUser currentUser;

	private final OrganizationQueries organization;

	private final Clock clock;

	private final MessageSource messages;

	CareReportController(PathwayReport report, CurrentUser currentUser, OrganizationQueries organization, Clock clock,
			MessageSource messages) {
		this.report = report;
		this.currentUser = currentUser;
		this.organization = organization;
		this.clock = clock;
		this.messages = messages;
	}

	@GetMapping("/care/report")
	String report(
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to,
			@RequestParam(defaultValue = "branch") String by, Model model, Locale locale) {
		Period period = period(from, to);
		PathwayReport.By rows = PathwayReport.By.of(by);
		PathwayReport.Report shown = this.report.report(period.from(), period.to(), period.zone(), rows,
				this.currentUser.workingScope());
		model.addAttribute("from", period.from());
		model.addAttribute("to", period.to());
		model.addAttribute("by", rows.name());
		model.addAttribute("report", shown);
		var total = shown.total();
		model.addAttribute("funnelLabels",
				String.join("|", List.of(text("care.report.prescribed", locale), text("care.report.accepted", locale),
						text("care.report.started", locale), text("care.report.completed", locale))));
		model.addAttribute("funnelValues",
				total.prescribed() + "|" + total.accepted() + "|" + total.started() + "|" + total.completed());
		model.addAttribute("stopLabels", String.join("|",
				PathwayReport.STOPS.stream().map(stop -> text("care.report.stop." + stop, locale)).toList()));
		model.addAttribute("stopValues", String.join("|",
				PathwayReport.STOPS.stream().map(stop -> String.valueOf(shown.stops().get(stop))).toList()));
		model.addAttribute("monthLabels",
				String.join("|", shown.months().stream().map(m -> month(m, locale)).toList()));
		model.addAttribute("monthStarted",
				String.join("|", shown.months().stream().map(m -> String.valueOf(m.started())).toList()));
		model.addAttribute("monthFinished",
				String.join("|", shown.months().stream().map(m -> String.valueOf(m.finished())).toList()));
		return "care/report";
	}

	/** The table of the report as a file: one row per group, then the total. */
	@GetMapping("/care/report/download")
	void download(
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to,
			@RequestParam(defaultValue = "branch") String by, @RequestParam(defaultValue = "xlsx") String format,
			HttpServletResponse response, Locale locale) throws IOException {
		Period period = period(from, to);
		PathwayReport.By rows = PathwayReport.By.of(by);
		PathwayReport.Report shown = this.report.report(period.from(), period.to(), period.zone(), rows,
				this.currentUser.workingScope());
		List<String> headers = java.util.stream.Stream
			.of("by." + rows.name(), "prescribed", "accepted", "declined", "started", "completed", "abandoned",
					"patients", "received", "proposedValue", "acceptedValue", "paid")
			.map(key -> text("care.report." + key, locale))
			.toList();
		String name = "care-" + period.from() + "-" + period.to();
		try (TableDownload table = TableDownload.start(response, name, format, "Care", headers)) {
			for (PathwayReport.Group g : shown.groups()) {
				table.row(row(g.name() != null ? g.name() : text("care.report.none", locale), g));
			}
			table.row(row(text("care.report.total", locale), shown.total()));
		}
	}

	private static List<@Nullable Object> row(String name, PathwayReport.Group g) {
		return Arrays.asList(name, g.prescribed(), g.accepted(), g.declined(), g.started(), g.completed(),
				g.abandoned(), g.patients(), g.received(), g.proposedValue(), g.acceptedValue(), g.paid());
	}

	/**
	 * The days asked for, in order, at most a year and a day apart, in the branch's zone.
	 */
	private record Period(LocalDate from, LocalDate to, ZoneId zone) {
	}

	private Period period(@Nullable LocalDate from, @Nullable LocalDate to) {
		ZoneId zone = this.organization.workingZone(this.currentUser.selectedBranch(), this.clock.getZone());
		var days = dev.klinika.shared.ReportDays.of(from, to, LocalDate.now(this.clock.withZone(zone)), 90);
		return new Period(days.from(), days.to(), zone);
	}

	private static String month(PathwayReport.Month m, Locale locale) {
		return m.month().getMonth().getDisplayName(TextStyle.SHORT_STANDALONE, locale) + " " + m.month().getYear();
	}

	private String text(String key, Locale locale) {
		return this.messages.getMessage(key, null, locale);
	}

}
