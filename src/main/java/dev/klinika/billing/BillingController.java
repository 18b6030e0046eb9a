package dev.klinika.billing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.catalog.CatalogQueries;
import dev.klinika.organization.ClinicProfile;
import dev.klinika.organization.OrganizationQueries;
import dev.klinika.patients.PatientManagement;
import dev.klinika.patients.PatientSearch;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.Money;

/**
 * The desk's money screens: checkout of a bill (lines, discounts, split payment, change),
 * refunds and voids, the patient's money, the visits done but not billed, the settings. A
 * refused step comes back to the page with its reason; nothing of it was written.
 */
@Controller
class BillingController {

	private final Bills bills;

	private final Payments payments;

	private final PatientMoney money;

	private final VisitBills visits;

	private final BillingSettings settings;

	private final CatalogQueries catalog;

	private final ClinicProfile clinic;

	private final OrganizationQueries organization;

	private final PatientManagement patients;

	private final PatientSearch search;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	private final Receipts receipts;

	private final AtolProperties atol;

	private final Clock clock;

	private final Packages packages;

	private final dev.klinika.catalog.PackageProducts products;

	private final YooKassa yookassa;

	private final OnlinePayments online;

	BillingController(Bills bills, Payments payments, PatientMoney money, VisitBills visits, BillingSettings settings,
			CatalogQueries catalog, ClinicProfile clinic, OrganizationQueries organization, PatientManagement patients,
			PatientSearch search, CurrentUser currentUser, AuditLog audit, Receipts receipts, AtolProperties atol,
			Clock clock, Packages packages, dev.klinika.catalog.PackageProducts products, YooKassa yookassa,
			OnlinePayments online) {
		this.online = online;
		this.yookassa = yookassa;
		this.packages = packages;
		this.products = products;
		this.bills = bills;
		this.payments = payments;
		this.money = money;
		this.visits = visits;
		this.settings = settings;
		this.catalog = catalog;
		this.clinic = clinic;
		this.organization = organization;
		this.patients = patients;
		this.search = search;
		this.currentUser = currentUser;
		this.audit = audit;
		this.receipts = receipts;
		this.atol = atol;
		this.clock = clock;
	}

	@PostMapping("/billing/visits/{id}")
	String checkout(@PathVariable long id, RedirectAttributes redirect) {
		return BillingRefused.orBack(redirect, "redirect:/scheduling/appointments/" + id,
				() -> "redirect:/billing/bills/" + this.packages.checkout(id));
	}

	@GetMapping("/billing/bills/{id}")
	String bill(@PathVariable long id, Model model) {
		BillView bill = this.bills.view(id).orElseThrow(() -> new NoSuchElementException("bill " + id));
		this.audit.record("BILL_VIEWED", "bill", id, null);
		ZoneId zone = this.organization.branchOption(bill.branchId())
			.map(OrganizationQueries.BranchOption::zone)
			.orElse(this.clock.getZone());
		model.addAttribute("bill", bill);
		model.addAttribute("zone", zone);
		model.addAttribute("patient", this.search.briefs(List.of(bill.patientId())).get(bill.patientId()));
		model.addAttribute("deposit", this.payments.deposit(bill.patientId(), bill.currency()));
		model.addAttribute("services", bill.editable() ? this.catalog.pricedOn(this.bills.priceDay(id)) : List.of());
		model.addAttribute("reasons", this.settings.activeReasons());
		model.addAttribute("rules", this.settings.current());
		model.addAttribute("key", UUID.randomUUID().toString());
		model.addAttribute("refundTo", bill.refundableByMethod().keySet());
		model.addAttribute("desk",
				this.currentUser.may(org.springframework.http.HttpMethod.POST, "/billing/bills/" + id + "/pay"));
		model.addAttribute("deskMethods", names(this.settings.deskMethods()));
		model.addAttribute("receipts", this.receipts.ofBill(id));
		model.addAttribute("onlineRefunds", this.online.refundsOfBill(id));
		model.addAttribute("fiscal", this.settings.fiscal());
		if (bill.editable()) {
			// For each service line, the packages that may pay it, the one that ends
			// first
			// first; and what the desk may sell.
			model.addAttribute("usable", this.packages.usableForLines(bill));
			model.addAttribute("toPay", bill.due().minus(this.packages.willPay(bill)));
			model.addAttribute("products", this.products.active());
		}
		else {
			model.addAttribute("toPay", bill.due());
		}
		model.addAttribute("packageNames", this.packages
			.names(bill.lines().stream().map(BillView.Line::packageId).filter(java.util.Objects::nonNull).toList()));
		return "billing/bill";
	}

	@PostMapping("/billing/bills/{id}/receipts/{receipt}/resend")
	String resendReceipt(@PathVariable long id, @PathVariable long receipt, RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			this.receipts.resend(id, receipt);
			redirect.addFlashAttribute("flashKey", "billing.flash.receiptResent");
			return billPage(id);
		});
	}

	@PostMapping("/billing/bills/{id}/lines")
	String addLine(@PathVariable long id, @RequestParam(required = false) @Nullable Long service,
			@RequestParam(required = false) @Nullable String goodsName,
			@RequestParam(required = false) @Nullable String goodsPrice,
			@RequestParam(defaultValue = "1") String quantity, RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			int count = Typed.quantity(quantity);
			if (service != null) {
				this.bills.addService(id, service, count);
			}
			else if (goodsName != null && !goodsName.isBlank()) {
				this.bills.addGoods(id, goodsName, Typed.money(goodsPrice, this.bills.currency()), count);
			}
			else {
				throw new BillingRefused("billing.refused.chooseLine");
			}
			return billPage(id);
		});
	}

	@PostMapping("/billing/bills/{id}/lines/{line}/remove")
	String removeLine(@PathVariable long id, @PathVariable long line, RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			this.bills.removeLine(id, line);
			return billPage(id);
		});
	}

	@PostMapping("/billing/bills/{id}/line-discount")
	String lineDiscount(@PathVariable long id, @RequestParam(required = false) @Nullable Long line,
			@RequestParam(defaultValue = "PERCENT") String kind, @RequestParam(required = false) @Nullable String value,
			@RequestParam(required = false) @Nullable Long reason, RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			if (line == null) {
				throw new BillingRefused("billing.refused.chooseLine");
			}
			this.bills.discountLine(id, line, discount(kind, value, reason));
			return billPage(id);
		});
	}

	@PostMapping("/billing/bills/{id}/discount")
	String billDiscount(@PathVariable long id, @RequestParam(defaultValue = "PERCENT") String kind,
			@RequestParam(required = false) @Nullable String value,
			@RequestParam(required = false) @Nullable Long reason, RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			this.bills.discountBill(id, discount(kind, value, reason));
			return billPage(id);
		});
	}

	@PostMapping("/billing/bills/{id}/pay")
	String pay(@PathVariable long id, @RequestParam Map<String, String> form, RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			java.util.Currency currency = this.bills.currency();
			Map<PaymentMethod, Money> parts = new EnumMap<>(PaymentMethod.class);
			for (PaymentMethod method : PaymentMethod.AT_THE_DESK) {
				Money amount = Typed.money(form.get(method.name().toLowerCase(java.util.Locale.ROOT)), currency);
				if (!amount.isZero()) {
					parts.put(method, amount);
				}
			}
			this.payments.pay(id, parts, Typed.key(form.get("key")));
			redirect.addFlashAttribute("flashKey", "billing.flash.paid");
			return billPage(id);
		});
	}

	@PostMapping("/billing/bills/{id}/refund")
	String refund(@PathVariable long id, @RequestParam(required = false) @Nullable Long line,
			@RequestParam(defaultValue = "") String amount, @RequestParam(defaultValue = "") String to,
			@RequestParam(defaultValue = "") String reason, @RequestParam(required = false) @Nullable String key,
			RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			PaymentMethod method = Arrays.stream(PaymentMethod.values())
				.filter(m -> m.name().equals(to))
				.findFirst()
				.orElseThrow(() -> new BillingRefused("billing.refused.method"));
			if (line == null) {
				throw new BillingRefused("billing.refused.chooseLine");
			}
			this.payments.refund(id, line, Typed.money(amount, this.bills.currency()), method, reason, Typed.key(key));
			redirect.addFlashAttribute("flashKey", "billing.flash.refunded");
			return billPage(id);
		});
	}

	@PostMapping("/billing/bills/{id}/void")
	String voidBill(@PathVariable long id, @RequestParam(defaultValue = "") String reason,
			RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> {
			this.bills.voidBill(id, reason);
			redirect.addFlashAttribute("flashKey", "billing.flash.voided");
			return billPage(id);
		});
	}

	@PostMapping("/billing/bills/{id}/correction")
	String correction(@PathVariable long id, RedirectAttributes redirect) {
		this.bills.requireVisible(id);
		return BillingRefused.orBack(redirect, billPage(id), () -> billPage(this.bills.correctionFor(id)));
	}

	@GetMapping("/billing/patients/{id}")
	String patient(@PathVariable long id, Model model) {
		var patient = this.patients.view(id).orElseThrow();
		java.util.Currency currency = this.clinic.current().getCurrency();
		model.addAttribute("patient", patient);
		model.addAttribute("summary", this.money.summary(id, currency));
		model.addAttribute("bills", this.money.bills(id, currency));
		model.addAttribute("movements", this.money.movements(id, currency));
		model.addAttribute("branches", this.organization.branchOptions(this.currentUser.scope()));
		model.addAttribute("branchNames", this.organization.branchNames());
		model.addAttribute("homeBranch", patient.getHomeBranchId());
		// Times as the card shows them: the patient's zone, else their home branch's.
		model.addAttribute("zone",
				patient.getZone()
					.orElseGet(() -> this.organization.branchOption(patient.getHomeBranchId())
						.map(OrganizationQueries.BranchOption::zone)
						.orElse(this.clock.getZone())));
		model.addAttribute("key", UUID.randomUUID().toString());
		model.addAttribute("depositMethods", PaymentMethod.INTO_DEPOSIT);
		model.addAttribute("advanceMethods", this.settings.deskMethods());
		model.addAttribute("packages", this.packages.ofPatient(id));
		model.addAttribute("now", this.clock.instant());
		return "billing/patient";
	}

	@PostMapping("/billing/patients/{id}/bills")
	String newBill(@PathVariable long id, @RequestParam long branch, RedirectAttributes redirect) {
		this.patients.require(id);
		return BillingRefused.orBack(redirect, "redirect:/billing/patients/" + id,
				() -> billPage(this.bills.create(id, branch)));
	}

	@PostMapping("/billing/patients/{id}/advance")
	String advance(@PathVariable long id, @RequestParam(required = false) @Nullable Long branch,
			@RequestParam(defaultValue = "") String method, @RequestParam(defaultValue = "") String amount,
			@RequestParam(required = false) @Nullable String key, RedirectAttributes redirect) {
		return deposit(id, branch, method, amount, redirect, "billing.flash.advance",
				(by, money) -> this.payments.advance(id, branch, by, money, Typed.key(key)));
	}

	@PostMapping("/billing/patients/{id}/advance-return")
	String returnAdvance(@PathVariable long id, @RequestParam(required = false) @Nullable Long branch,
			@RequestParam(defaultValue = "") String method, @RequestParam(defaultValue = "") String amount,
			@RequestParam(defaultValue = "") String reason, @RequestParam(required = false) @Nullable String key,
			RedirectAttributes redirect) {
		return deposit(id, branch, method, amount, redirect, "billing.flash.advanceReturned",
				(by, money) -> this.payments.returnAdvance(id, branch, by, money, reason, Typed.key(key)));
	}

	/**
	 * Money onto or off the patient's deposit in a branch of the login (404 otherwise,
	 * before anything is read), by a method money comes to a deposit by.
	 */
	private String deposit(long patient, @Nullable Long branch, String method, String amount,
			RedirectAttributes redirect, String done, java.util.function.BiConsumer<PaymentMethod, Money> step) {
		this.patients.require(patient);
		if (branch == null) {
			throw new NoSuchElementException("branch");
		}
		String page = "redirect:/billing/patients/" + patient;
		return BillingRefused.orBack(redirect, page, () -> {
			PaymentMethod by = PaymentMethod.handedOver(method);
			step.accept(by, Typed.money(amount, this.clinic.current().getCurrency()));
			redirect.addFlashAttribute("flashKey", done);
			return page;
		});
	}

	@GetMapping("/billing/unbilled")
	String unbilled(@RequestParam(required = false) @Nullable Long branch,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate date,
			Model model) {
		var options = this.organization.branchOptions(this.currentUser.workingScope());
		var option = WorkingBranch.of(options, branch);
		LocalDate day = date == null ? LocalDate.now(option.zone()) : date;
		var rows = this.visits.unbilled(option.id(), day, option.zone());
		model.addAttribute("branch", option);
		model.addAttribute("branches", options);
		model.addAttribute("day", day);
		model.addAttribute("rows", rows);
		model.addAttribute("patients",
				this.search.briefs(rows.stream().map(VisitBills.Unbilled::patient).collect(Collectors.toSet())));
		model.addAttribute("services",
				this.catalog.names(rows.stream().map(VisitBills.Unbilled::service).collect(Collectors.toSet())));
		model.addAttribute("staff", this.organization
			.staffNames(rows.stream().map(VisitBills.Unbilled::staff).collect(Collectors.toSet())));
		return "billing/unbilled";
	}

	@GetMapping("/billing/settings")
	String settings(Model model) {
		model.addAttribute("rules", this.settings.current());
		model.addAttribute("fiscal", this.settings.fiscal());
		model.addAttribute("atolConfigured", this.atol.configured());
		model.addAttribute("taxations", BillingSettings.Fiscal.TAXATIONS);
		model.addAttribute("vats", BillingSettings.Fiscal.VATS);
		model.addAttribute("reasons", this.settings.reasons());
		model.addAttribute("online", this.settings.online());
		model.addAttribute("deskMethods", names(this.settings.deskMethods()));
		model.addAttribute("allDeskMethods", PaymentMethod.INTO_DEPOSIT);
		model.addAttribute("providers", BillingSettings.Online.PROVIDERS);
		model.addAttribute("yookassaConfigured", this.yookassa.configured());
		var prepaid = this.settings.prepaidServices();
		model.addAttribute("prepaid", prepaid);
		var services = this.catalog.services(null, null, null, false);
		model.addAttribute("prepaidServices", services.stream().filter(s -> prepaid.containsKey(s.id())).toList());
		model.addAttribute("otherServices", services.stream().filter(s -> !prepaid.containsKey(s.id())).toList());
		return "billing/settings";
	}

	/** The methods the desk takes money by. */
	@PostMapping("/billing/settings/methods")
	String saveMethods(@RequestParam(name = "method", required = false) @Nullable List<String> methods,
			RedirectAttributes redirect) {
		return BillingRefused.orBack(redirect, "redirect:/billing/settings", () -> {
			this.settings.updateDeskMethods(methods == null ? List.of() : methods);
			redirect.addFlashAttribute("flashKey", "billing.flash.settings");
			return "redirect:/billing/settings#methods";
		});
	}

	private static java.util.Set<String> names(java.util.Set<PaymentMethod> methods) {
		return methods.stream().map(Enum::name).collect(Collectors.toSet());
	}

	@PostMapping("/billing/settings/online")
	String saveOnline(@RequestParam(defaultValue = "NONE") String provider,
			@RequestParam(defaultValue = "24") String refundHours, RedirectAttributes redirect) {
		return BillingRefused.orBack(redirect, "redirect:/billing/settings", () -> {
			if (!refundHours.strip().matches("\\d{1,3}")) {
				throw new BillingRefused("billing.refused.refundHours");
			}
			this.settings.updateOnline(new BillingSettings.Online(provider, Integer.parseInt(refundHours.strip())),
					this.yookassa.configured());
			redirect.addFlashAttribute("flashKey", "billing.flash.online");
			return "redirect:/billing/settings#online";
		});
	}

	/** Asks a prepayment for a service of the catalog, or no longer. */
	@PostMapping("/billing/settings/prepaid")
	String savePrepaid(@RequestParam long service, @RequestParam(defaultValue = "true") boolean on,
			@RequestParam(defaultValue = "") String amount, RedirectAttributes redirect) {
		return BillingRefused.orBack(redirect, "redirect:/billing/settings", () -> {
			this.catalog.names(java.util.List.of(service))
				.keySet()
				.stream()
				.findFirst()
				.orElseThrow(() -> new java.util.NoSuchElementException("service " + service));
			this.settings.setPrepaid(service, on, amount.isBlank() ? null : Typed.number(amount));
			redirect.addFlashAttribute("flashKey", "billing.flash.online");
			return "redirect:/billing/settings#online";
		});
	}

	@PostMapping("/billing/settings")
	String saveSettings(@RequestParam int version, @RequestParam String adminDiscountLimit,
			@RequestParam String adminRefundLimit, @RequestParam(defaultValue = "false") boolean freePriceLines,
			@RequestParam(defaultValue = "false") boolean packageNoShowBurns,
			@RequestParam(defaultValue = "14") String packageWarnDays, RedirectAttributes redirect) {
		return BillingRefused.orBack(redirect, "redirect:/billing/settings", () -> {
			this.settings.update(version, Typed.number(adminDiscountLimit), Typed.number(adminRefundLimit),
					freePriceLines, packageNoShowBurns, Typed.quantity(packageWarnDays));
			redirect.addFlashAttribute("flashKey", "billing.flash.settings");
			return "redirect:/billing/settings";
		});
	}

	@PostMapping("/billing/settings/fiscal")
	String saveFiscal(@RequestParam(defaultValue = "NONE") String mode,
			@RequestParam(defaultValue = "usn_income") String taxation,
			@RequestParam(defaultValue = "none") String servicesVat,
			@RequestParam(defaultValue = "none") String goodsVat, RedirectAttributes redirect) {
		return BillingRefused.orBack(redirect, "redirect:/billing/settings", () -> {
			var clinic = this.clinic.current();
			this.settings.updateFiscal(new BillingSettings.Fiscal(mode, taxation, servicesVat, goodsVat),
					this.atol.configured(), clinic.getLegal().inn(), clinic.getEmail());
			redirect.addFlashAttribute("flashKey", "billing.flash.settings");
			return "redirect:/billing/settings";
		});
	}

	@PostMapping("/billing/settings/reasons")
	String addReason(@RequestParam(defaultValue = "") String name, RedirectAttributes redirect) {
		return BillingRefused.orBack(redirect, "redirect:/billing/settings", () -> {
			this.settings.addReason(name);
			return "redirect:/billing/settings";
		});
	}

	@PostMapping("/billing/settings/reasons/{id}")
	String toggleReason(@PathVariable long id, @RequestParam boolean active) {
		this.settings.setReasonActive(id, active);
		return "redirect:/billing/settings";
	}

	private static @Nullable Discount discount(String kind, @Nullable String value, @Nullable Long reason) {
		if (value == null || value.isBlank()) {
			return null;
		}
		if (!Set.of("PERCENT", "AMOUNT").contains(kind)) {
			throw new BillingRefused("billing.refused.discountKind");
		}
		if (reason == null) {
			throw new BillingRefused("billing.refused.discountReason");
		}
		return new Discount(Discount.Kind.valueOf(kind), Typed.number(value), reason);
	}

	private static String billPage(long id) {
		return "redirect:/billing/bills/" + id;
	}

}
