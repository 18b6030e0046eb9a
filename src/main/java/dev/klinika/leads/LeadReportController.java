package dev.klinika.leads;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.security.CurrentUser;

/**
 * The senior admin's report over a period (the last 7 days by default, at most a year),
 * days counted in the selected branch's zone.
 */
@Controller
class LeadReportController {

	private final LeadReport report;

	private final CurrentUser currentUser;

	private final OrganizationQueries organization;

	private final Clock clock;

	private final dev.klinika.security.Colleagues colleagues;

	private final org.springframework.context.MessageSource messages;

	LeadReportController(LeadReport report, CurrentUser currentUser, OrganizationQueries organization, Clock clock,
			dev.klinika.security.Colleagues colleagues, org.springframework.context.MessageSource messages) {
		this.messages = messages;
		this.colleagues = colleagues;
		this.report = report;
		this.currentUser = currentUser;
		this.organization = organization;
		this.clock = clock;
	}

	@GetMapping("/leads/report")
	String report(
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to,
			Model model, java.util.Locale locale) {
		ZoneId zone = this.organization.workingZone(this.currentUser.selectedBranch(), this.clock.getZone());
		var days = dev.klinika.shared.ReportDays.of(from, to, LocalDate.now(this.clock.withZone(zone)), 7);
		LocalDate first = days.from();
		LocalDate last = days.to();
		var start = first.atStartOfDay(zone).toInstant();
		var end = last.plusDays(1).atStartOfDay(zone).toInstant();
		model.addAttribute("from", first);
		model.addAttribute("to", last);
		var admins = this.report.perAdmin(start, end, zone, this.currentUser.workingScope());
		model.addAttribute("admins", admins);
		// Each admin by name (the login the PBX extension is mapped to), not by login.
		var names = new java.util.HashMap<>(this.colleagues
			.names(admins.stream().map(LeadReport.AdminDay::who).collect(java.util.stream.Collectors.toSet())));
		// An extension the PBX names that nobody mapped to a login reads as one.
		admins.stream()
			.map(LeadReport.AdminDay::who)
			.filter(who -> !names.containsKey(who) && !"—".equals(who))
			.forEach(who -> names.put(who,
					this.messages.getMessage("leads.report.extension", new Object[] { who }, locale)));
		model.addAttribute("names", names);
		var sources = this.report.perSource(start, end, this.currentUser.workingScope());
		model.addAttribute("sources", sources);
		charts(model, admins, sources, names, locale);
		return "leads/report";
	}

	/**
	 * The charts above the tables: each admin's answered and missed calls over the
	 * period, each source's leads and those who came.
	 */
	private void charts(Model model, java.util.List<LeadReport.AdminDay> admins,
			java.util.List<LeadReport.Source> sources, java.util.Map<String, String> names, java.util.Locale locale) {
		java.util.Map<String, int[]> perAdmin = new java.util.LinkedHashMap<>();
		for (LeadReport.AdminDay day : admins) {
			int[] sums = perAdmin.computeIfAbsent(names.getOrDefault(day.who(), day.who()), who -> new int[2]);
			sums[0] += day.answered();
			sums[1] += day.missed();
		}
		model.addAttribute("adminNames", perAdmin.keySet().stream().map(LeadReportController::label).toList());
		model.addAttribute("adminAnswered", perAdmin.values().stream().map(sums -> sums[0]).toList());
		model.addAttribute("adminMissed", perAdmin.values().stream().map(sums -> sums[1]).toList());
		model.addAttribute("sourceNames",
				sources.stream()
					.map(s -> label(s.channel() != null
							? this.messages.getMessage("leads.channel." + s.channel(), null, locale) : s.source()))
					.toList());
		model.addAttribute("sourceLeads", sources.stream().map(LeadReport.Source::leads).toList());
		model.addAttribute("sourceCame", sources.stream().map(LeadReport.Source::came).toList());
	}

	/** A chart label: the list separator cannot be part of it. */
	private static String label(String text) {
		return text.replace('|', '/');
	}

}
