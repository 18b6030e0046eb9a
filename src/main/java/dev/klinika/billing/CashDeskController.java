package dev.klinika.billing;

import java.io.IOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.ClinicProfile;
import dev.klinika.organization.OrganizationQueries;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.Money;
import dev.klinika.shared.TableDownload;

/**
 * The cash desk's screens: the branch's drawer (open, pay in and out, close with a
 * count), a shift's report and a branch's day report, each also as CSV or XLSX.
 */
@Controller
class CashDeskController {

	private final CashDesk desk;

	private final OrganizationQueries organization;

	private final ClinicProfile clinic;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	private final MessageSource messages;

	CashDeskController(CashDesk desk, OrganizationQueries organization, ClinicProfile clinic, CurrentUser currentUser,
			AuditLog audit, MessageSource messages) {
		this.desk = desk;
		this.organization = organization;
		this.clinic = clinic;
		this.currentUser = currentUser;
		this.audit = audit;
		this.messages = messages;
	}

	@GetMapping("/billing/cash")
	String cash(@RequestParam(required = false) @Nullable Long branch, Model model) {
		var options = this.organization.branchOptions(this.currentUser.workingScope());
		OrganizationQueries.BranchOption option = WorkingBranch.of(options, branch);
		var current = this.desk.current(option.id());
		var report = current.map(this.desk::shiftReport);
		List<CashDesk.Shift> recent = this.desk.recent(option.id(), 20);
		model.addAttribute("branch", option);
		model.addAttribute("branches", options);
		model.addAttribute("shift", current.orElse(null));
		model.addAttribute("report", report.orElse(null));
		model.addAttribute("expected", report.map(r -> r.expected(current.get().opening())).orElse(null));
		// The drawer the next shift starts with: what the last closed one counted.
		model.addAttribute("lastCount",
				recent.stream()
					.filter(s -> !s.open())
					.findFirst()
					.map(CashDesk.Shift::counted)
					.orElse(Money.zero(this.clinic.current().getCurrency())));
		model.addAttribute("recent", recent);
		model.addAttribute("today", LocalDate.now(option.zone()));
		return "billing/cash";
	}

	@PostMapping("/billing/cash/open")
	String open(@RequestParam(required = false) @Nullable Long branch, @RequestParam(defaultValue = "") String opening,
			RedirectAttributes redirect) {
		if (branch == null) {
			throw new NoSuchElementException("branch");
		}
		String page = "redirect:/billing/cash?branch=" + branch;
		return BillingRefused.orBack(redirect, page, () -> {
			this.desk.open(branch, Typed.money(opening, this.clinic.current().getCurrency()));
			redirect.addFlashAttribute("flashKey", "billing.flash.shiftOpened");
			return page;
		});
	}

	@PostMapping("/billing/cash/shifts/{id}/movements")
	String move(@PathVariable long id, @RequestParam(defaultValue = "") String direction,
			@RequestParam(defaultValue = "") String amount, @RequestParam(defaultValue = "") String reason,
			RedirectAttributes redirect) {
		String page = deskPage(id);
		return BillingRefused.orBack(redirect, page, () -> {
			if (!List.of("in", "out").contains(direction)) {
				throw new BillingRefused("billing.refused.movementDirection");
			}
			this.desk.move(id, "in".equals(direction), Typed.money(amount, this.clinic.current().getCurrency()),
					reason);
			redirect.addFlashAttribute("flashKey", "billing.flash.moved");
			return page;
		});
	}

	@PostMapping("/billing/cash/shifts/{id}/close")
	String close(@PathVariable long id, @RequestParam(defaultValue = "") String counted,
			@RequestParam(required = false) @Nullable String note, RedirectAttributes redirect) {
		String page = deskPage(id);
		return BillingRefused.orBack(redirect, page, () -> {
			if (counted.isBlank()) {
				throw new BillingRefused("billing.refused.countMissing");
			}
			this.desk.close(id, Typed.money(counted, this.clinic.current().getCurrency()), note);
			redirect.addFlashAttribute("flashKey", "billing.flash.shiftClosed");
			return "redirect:/billing/cash/shifts/" + id;
		});
	}

	@GetMapping("/billing/cash/shifts/{id}")
	String shift(@PathVariable long id, Model model) {
		CashDesk.Shift shift = this.desk.shift(id).orElseThrow(() -> new NoSuchElementException("shift " + id));
		model.addAttribute("shift", shift);
		model.addAttribute("branch", this.organization.branchOption(shift.branchId()).orElseThrow());
		CashDesk.Report report = this.desk.shiftReport(shift);
		model.addAttribute("report", report);
		model.addAttribute("expected", shift.open() ? report.expected(shift.opening()) : shift.expected());
		return "billing/shift";
	}

	@GetMapping("/billing/cash/shifts/{id}/export")
	void shiftExport(@PathVariable long id, @RequestParam(defaultValue = "xlsx") String format, Locale locale,
			HttpServletResponse response) throws IOException {
		CashDesk.Shift shift = this.desk.shift(id).orElseThrow(() -> new NoSuchElementException("shift " + id));
		CashDesk.Report report = this.desk.shiftReport(shift);
		this.audit.record("CASH_REPORT_EXPORTED", "cash_shift", id, format);
		download(response, "shift-" + id, format, report, locale);
	}

	@GetMapping("/billing/cash/day")
	String day(@RequestParam(required = false) @Nullable Long branch,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate date,
			Model model) {
		var options = this.organization.branchOptions(this.currentUser.workingScope());
		OrganizationQueries.BranchOption option = WorkingBranch.of(options, branch);
		LocalDate day = date == null ? LocalDate.now(option.zone()) : date;
		model.addAttribute("branch", option);
		model.addAttribute("branches", options);
		model.addAttribute("day", day);
		model.addAttribute("report", this.desk.dayReport(option.id(), day, option.zone()));
		model.addAttribute("shifts", this.desk.shiftsOf(option.id(), day, option.zone()));
		return "billing/day";
	}

	@GetMapping("/billing/cash/day/export")
	void dayExport(@RequestParam(required = false) @Nullable Long branch,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate date,
			@RequestParam(defaultValue = "xlsx") String format, Locale locale, HttpServletResponse response)
			throws IOException {
		OrganizationQueries.BranchOption option = WorkingBranch
			.of(this.organization.branchOptions(this.currentUser.workingScope()), branch);
		LocalDate day = date == null ? LocalDate.now(option.zone()) : date;
		CashDesk.Report report = this.desk.dayReport(option.id(), day, option.zone());
		this.audit.record("CASH_REPORT_EXPORTED", "branch", option.id(), day + " " + format);
		download(response, "day-" + option.id() + "-" + day, format, report, locale);
	}

	/**
	 * One sheet: the takings by method, then by admin, then the cash paid in and out,
	 * each row naming its section.
	 */
	private void download(HttpServletResponse response, String name, String format, CashDesk.Report report,
			Locale locale) throws IOException {
		List<String> headers = java.util.stream.Stream
			.of("section", "employee", "method", "received", "returned", "net")
			.map(key -> text("billing.cash.column." + key, locale))
			.toList();
		try (TableDownload table = TableDownload.start(response, name, format, "Cash", headers)) {
			for (CashDesk.Takings t : report.takings()) {
				table.row(Arrays.asList(text("billing.cash.byMethod", locale), "", method(t.method(), locale),
						t.received(), t.returned(), t.net()));
			}
			table.row(Arrays.asList(text("billing.cash.takings", locale), "", "", null, null, report.takingsNet()));
			for (CashDesk.ByAdmin admin : report.byAdmin()) {
				for (CashDesk.Takings t : admin.takings()) {
					table.row(Arrays.asList(text("billing.cash.byAdmin", locale), admin.actor(),
							method(t.method(), locale), t.received(), t.returned(), t.net()));
				}
			}
			for (CashDesk.Movement m : report.movements()) {
				table.row(Arrays.asList(text("billing.cash.movement." + m.kind(), locale), m.by(), m.reason(),
						m.paidIn() ? m.amount() : null, m.paidIn() ? null : m.amount(), null));
			}
		}
	}

	private String method(PaymentMethod method, Locale locale) {
		return text("billing.method." + method, locale);
	}

	private String text(String key, Locale locale) {
		return this.messages.getMessage(key, null, locale);
	}

	private String deskPage(long shiftId) {
		return this.desk.shift(shiftId)
			.map(s -> "redirect:/billing/cash?branch=" + s.branchId())
			.orElseThrow(() -> new NoSuchElementException("shift " + shiftId));
	}

}
