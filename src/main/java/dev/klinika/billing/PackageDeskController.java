package dev.klinika.billing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.catalog.PackageProducts;
import dev.klinika.organization.ClinicProfile;
import dev.klinika.organization.OrganizationQueries;
import dev.klinika.patients.PatientSearch;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;

/**
 * Packages at the desk: one sold on a bill, a bill's line paid from one, a package's page
 * (what is left, its history, a freeze, the refund of the rest) and the report of what
 * was sold against what was used.
 */
@Controller
class PackageDeskController {

	private final Packages packages;

	private final Bills bills;

	private final PackageProducts products;

	private final OrganizationQueries organization;

	private final PatientSearch search;

	private final CurrentUser currentUser;

	private final ClinicProfile clinic;

	private final AuditLog audit;

	private final Clock clock;

	PackageDeskController(Packages packages, Bills bills, PackageProducts products, OrganizationQueries organization,
			PatientSearch search, CurrentUser currentUser, ClinicProfile clinic, AuditLog audit, Clock clock) {
		this.packages = packages;
		this.bills = bills;
		this.products = products;
		this.organization = organization;
		this.search = search;
		this.currentUser = currentUser;
		this.clinic = clinic;
		this.audit = audit;
		this.clock = clock;
	}

	@PostMapping("/billing/bills/{id}/packages")
	String sell(@PathVariable long id, @RequestParam(required = false) @Nullable Long product,
			RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			if (product == null) {
				throw new BillingRefused("billing.refused.packageProduct");
			}
			this.bills.addPackage(id, product);
			return billPage(id);
		});
	}

	@PostMapping("/billing/bills/{id}/lines/{line}/package")
	String cover(@PathVariable long id, @PathVariable long line, @RequestParam(required = false) @Nullable Long pkg,
			RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			this.packages.cover(id, line, pkg);
			return billPage(id);
		});
	}

	@GetMapping("/billing/packages/{id}")
	String show(@PathVariable long id, Model model) {
		Packages.Held held = this.packages.find(id);
		this.audit.record("PACKAGE_VIEWED", "package", id, null);
		ZoneId zone = this.organization.branchOption(held.branchId())
			.map(OrganizationQueries.BranchOption::zone)
			.orElse(this.clock.getZone());
		List<Packages.Entry> history = this.packages.history(id);
		model.addAttribute("pkg", held);
		model.addAttribute("state", held.state(this.clock.instant()));
		model.addAttribute("history", history);
		model.addAttribute("zone", zone);
		java.util.Set<Long> people = new java.util.HashSet<>();
		people.add(held.patientId());
		history.forEach(entry -> people.add(entry.patientId()));
		model.addAttribute("patients", this.search.briefs(people));
		model.addAttribute("branches", this.organization.branchOptions(this.currentUser.scope()));
		model.addAttribute("methods", PaymentMethod.INTO_DEPOSIT);
		model.addAttribute("key", UUID.randomUUID().toString());
		return "billing/package";
	}

	@PostMapping("/billing/packages/{id}/freeze")
	String freeze(@PathVariable long id, @RequestParam(defaultValue = "") String days, RedirectAttributes redirect) {
		this.packages.find(id);
		return BillingRefused.orBack(redirect, packagePage(id), () -> {
			this.packages.freeze(id, Typed.quantity(days));
			redirect.addFlashAttribute("flashKey", "billing.flash.frozen");
			return packagePage(id);
		});
	}

	@PostMapping("/billing/packages/{id}/refund")
	String refund(@PathVariable long id, @RequestParam(required = false) @Nullable Long branch,
			@RequestParam(defaultValue = "") String method, @RequestParam(defaultValue = "") String reason,
			@RequestParam(required = false) @Nullable String key, RedirectAttributes redirect) {
		this.packages.find(id);
		if (branch == null) {
			throw new NoSuchElementException("branch");
		}
		return BillingRefused.orBack(redirect, packagePage(id), () -> {
			this.packages.refundRest(id, branch, PaymentMethod.handedOver(method), reason, Typed.key(key));
			redirect.addFlashAttribute("flashKey", "billing.flash.packageRefunded");
			return packagePage(id);
		});
	}

	@GetMapping("/billing/packages")
	String report(@RequestParam(required = false) @Nullable Long branch,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to,
			Model model) {
		var options = this.organization.branchOptions(this.currentUser.workingScope());
		var option = WorkingBranch.of(options, branch);
		LocalDate today = LocalDate.now(this.clock.withZone(option.zone()));
		LocalDate first = from == null ? today.withDayOfYear(1) : from;
		LocalDate last = to == null || to.isBefore(first) ? today : to;
		model.addAttribute("branch", option);
		model.addAttribute("branches", options);
		model.addAttribute("from", first);
		model.addAttribute("to", last);
		model.addAttribute("rows", this.packages.usage(option.id(), first.atStartOfDay(option.zone()).toInstant(),
				last.plusDays(1).atStartOfDay(option.zone()).toInstant(), this.clinic.current().getCurrency()));
		model.addAttribute("products", this.products.active());
		return "billing/packages";
	}

	private static String billPage(long id) {
		return "redirect:/billing/bills/" + id;
	}

	private static String packagePage(long id) {
		return "redirect:/billing/packages/" + id;
	}

}
