package dev.klinika.billing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.patients.PatientManagement;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.ScopedRecords;
import dev.klinika.shared.Money;

/**
 * Money in and out: a bill paid by one or several methods, an advance onto the patient's
 * deposit, a refund for a line. Each is one batch of ledger transfers, made under a lock
 * of the bill (and of the deposit it spends), refused whole when any part is wrong, and
 * found again, not repeated, when the same request comes twice with its key.
 */
@Service
class Payments {

	private final Bills bills;

	private final Ledger ledger;

	private final BillingSettings settings;

	private final PatientManagement patients;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	private final JdbcClient jdbc;

	private final Receipts receipts;

	private final Clock clock;

	private final Packages packages;

	Payments(Bills bills, Ledger ledger, BillingSettings settings, PatientManagement patients, CurrentUser currentUser,
			AuditLog audit, ApplicationEventPublisher events, JdbcClient jdbc, Receipts receipts, Clock clock,
			Packages packages) {
		this.packages = packages;
		this.bills = bills;
		this.ledger = ledger;
		this.settings = settings;
		this.patients = patients;
		this.currentUser = currentUser;
		this.audit = audit;
		this.events = events;
		this.jdbc = jdbc;
		this.receipts = receipts;
		this.clock = clock;
	}

	/**
	 * Pays a bill by the methods given (cash, card, transfer, the deposit), never more
	 * than is due; the first payment issues the bill.
	 */
	@Transactional
	public UUID pay(long billId, Map<PaymentMethod, Money> parts, @Nullable String key) {
		Bills.BillRow bill = this.bills.lockOpenOrClosed(billId);
		Optional<UUID> done = this.ledger.batchOf(key, bill.patientId());
		if (done.isPresent()) {
			return done.get();
		}
		if (bill.voided()) {
			throw new BillingRefused("billing.refused.void");
		}
		BillView view = BillView.read(this.jdbc, billId).orElseThrow();
		if (!view.status().owing()) {
			throw new BillingRefused("billing.refused.nothingDue");
		}
		if (view.lines().isEmpty()) {
			throw new BillingRefused("billing.refused.noLines");
		}
		// The lines paid from packages spend them first, in the same batch as the money.
		List<Ledger.Transfer> transfers = new ArrayList<>(this.packages.spend(bill, view, "SPENT"));
		Money fromPackages = transfers.stream()
			.map(Ledger.Transfer::amount)
			.reduce(Money.zero(bill.currency()), Money::plus);
		if (!transfers.isEmpty()) {
			view = BillView.read(this.jdbc, billId).orElseThrow();
		}
		Map<PaymentMethod, Money> given = positive(parts, bill.currency(), !transfers.isEmpty());
		for (PaymentMethod method : given.keySet()) {
			if (!PaymentMethod.AT_THE_DESK.contains(method)) {
				throw new BillingRefused("billing.refused.method");
			}
			this.settings.requireDeskMethod(method);
		}
		Money sum = given.values().stream().reduce(Money.zero(bill.currency()), Money::plus);
		Money due = view.due().minus(fromPackages);
		if (sum.compareTo(due) > 0) {
			throw new BillingRefused("billing.refused.overpay", due);
		}
		long billAccount = this.ledger.billAccount(billId, bill.currency());
		for (Map.Entry<PaymentMethod, Money> part : given.entrySet()) {
			long from = part.getKey() == PaymentMethod.DEPOSIT ? spendable(bill.patientId(), part.getValue())
					: this.ledger.tillAccount(bill.branchId(), part.getKey(), bill.currency());
			transfers.add(new Ledger.Transfer(from, billAccount, part.getValue(), "PAYMENT", part.getKey(), billId,
					null, bill.patientId(), bill.branchId(), null));
		}
		UUID batch = this.ledger.post(transfers, key, this.currentUser.actor());
		this.bills.issue(billId, now());
		Map<PaymentMethod, Money> all = new EnumMap<>(given);
		if (fromPackages.isPositive()) {
			all.put(PaymentMethod.PACKAGE, fromPackages);
		}
		this.receipts.forPayment(batch, view, all);
		this.packages.activate(billId);
		this.audit.record("PAYMENT_RECEIVED", "bill", billId, describe(all));
		this.events.publishEvent(new BillingEvents.PaymentReceived(batch, billId, bill.patientId(), bill.branchId(),
				sum.plus(fromPackages), Map.copyOf(all), now()));
		return batch;
	}

	/**
	 * A prepayment the provider took: onto the visit's bill, and what the bill no longer
	 * owes (its price went down, it was voided) onto the patient's deposit. Never
	 * refused: the money was taken. Once per key.
	 */
	@Transactional
	UUID payOnline(long billId, Money amount, String key) {
		Bills.BillRow bill = this.bills.lockRow(billId);
		Optional<UUID> done = this.ledger.batchOf(key, bill.patientId());
		if (done.isPresent()) {
			return done.get();
		}
		BillView view = BillView.read(this.jdbc, billId).orElseThrow();
		Money due = bill.voided() ? Money.zero(amount.currency()) : view.due().max(Money.zero(amount.currency()));
		Money onBill = amount.min(due);
		Money rest = amount.minus(onBill);
		long till = this.ledger.tillAccount(bill.branchId(), PaymentMethod.ONLINE, amount.currency());
		UUID batch = null;
		if (onBill.isPositive()) {
			batch = this.ledger.post(
					List.of(new Ledger.Transfer(till, this.ledger.billAccount(billId, amount.currency()), onBill,
							"PAYMENT", PaymentMethod.ONLINE, billId, null, bill.patientId(), bill.branchId(), null)),
					key, this.currentUser.actor());
			this.bills.issue(billId, now());
			this.receipts.forPayment(batch, view, Map.of(PaymentMethod.ONLINE, onBill));
			this.packages.activate(billId);
			this.audit.record("PAYMENT_RECEIVED", "bill", billId, "ONLINE " + onBill.amount());
			this.events.publishEvent(new BillingEvents.PaymentReceived(batch, billId, bill.patientId(), bill.branchId(),
					onBill, Map.of(PaymentMethod.ONLINE, onBill), now()));
		}
		if (rest.isPositive()) {
			UUID advance = this.ledger.post(
					List.of(new Ledger.Transfer(till, lockedDeposit(bill.patientId(), amount.currency()), rest,
							"ADVANCE", PaymentMethod.ONLINE, null, null, bill.patientId(), bill.branchId(), null)),
					batch == null ? key : key + ":rest", this.currentUser.actor());
			this.receipts.forAdvance(advance, bill.patientId(), bill.branchId(), PaymentMethod.ONLINE, rest);
			this.audit.record("ADVANCE_RECEIVED", "patient", bill.patientId(), "ONLINE " + rest.amount());
			batch = batch == null ? advance : batch;
		}
		return java.util.Objects.requireNonNull(batch);
	}

	/** Money onto the patient's deposit, to be spent on bills later. */
	@Transactional
	public UUID advance(long patientId, long branchId, PaymentMethod method, Money amount, @Nullable String key) {
		requireDepositMove(patientId, branchId, method);
		this.settings.requireDeskMethod(method);
		if (!amount.isPositive()) {
			throw new BillingRefused("billing.refused.amountNotPositive");
		}
		long deposit = lockedDeposit(patientId, amount.currency());
		Optional<UUID> done = this.ledger.batchOf(key, patientId);
		if (done.isPresent()) {
			return done.get();
		}
		UUID batch = this.ledger.post(
				List.of(new Ledger.Transfer(this.ledger.tillAccount(branchId, method, amount.currency()), deposit,
						amount, "ADVANCE", method, null, null, patientId, branchId, null)),
				key, this.currentUser.actor());
		this.receipts.forAdvance(batch, patientId, branchId, method, amount);
		this.audit.record("ADVANCE_RECEIVED", "patient", patientId, method + " " + amount.amount());
		this.events.publishEvent(new BillingEvents.PaymentReceived(batch, null, patientId, branchId, amount,
				Map.of(method, amount), now()));
		return batch;
	}

	/**
	 * Pays the patient's deposit back out, by cash, card or transfer, with a reason;
	 * never more than the deposit holds, and above the ADMIN's refund limit only by a
	 * senior admin or a manager.
	 */
	@Transactional
	public UUID returnAdvance(long patientId, long branchId, PaymentMethod method, Money amount, String reason,
			@Nullable String key) {
		requireDepositMove(patientId, branchId, method);
		String clean = Typed.text(reason, 500, "billing.refused.refundReason");
		if (!amount.isPositive()) {
			throw new BillingRefused("billing.refused.amountNotPositive");
		}
		long deposit = lockedDeposit(patientId, amount.currency());
		Optional<UUID> done = this.ledger.batchOf(key, patientId);
		if (done.isPresent()) {
			return done.get();
		}
		requireCovered(deposit, amount);
		this.settings.requireUnderRefundLimit(amount);
		UUID batch = this.ledger.post(
				List.of(new Ledger.Transfer(deposit, this.ledger.tillAccount(branchId, method, amount.currency()),
						amount, "ADVANCE_RETURNED", method, null, null, patientId, branchId, clean)),
				key, this.currentUser.actor());
		this.receipts.forAdvanceReturned(batch, patientId, branchId, method, amount);
		this.audit.record("ADVANCE_RETURNED", "patient", patientId, method + " " + amount.amount());
		return batch;
	}

	/**
	 * Gives money back for a line of a paid bill, by a method it was paid by or onto the
	 * deposit; never more than the line took, and above the ADMIN's limit only by a
	 * senior admin or a manager.
	 */
	@Transactional
	public UUID refund(long billId, long lineId, Money amount, PaymentMethod to, String reason, @Nullable String key) {
		return refund(this.bills.lockOpenOrClosed(billId), lineId, amount, to, reason, key);
	}

	/**
	 * A refund the system makes on its own (a prepaid visit cancelled), without a login's
	 * scope or limits.
	 */
	@Transactional
	UUID refundBySystem(long billId, long lineId, Money amount, PaymentMethod to, String reason, String key) {
		return refund(this.bills.lockRow(billId), lineId, amount, to, reason, key);
	}

	private UUID refund(Bills.BillRow bill, long lineId, Money amount, PaymentMethod to, String reason,
			@Nullable String key) {
		long billId = bill.id();
		Optional<UUID> done = this.ledger.batchOf(key, bill.patientId());
		if (done.isPresent()) {
			return done.get();
		}
		String clean = Typed.text(reason, 500, "billing.refused.refundReason");
		if (!amount.isPositive()) {
			throw new BillingRefused("billing.refused.amountNotPositive");
		}
		BillView view = BillView.read(this.jdbc, billId).orElseThrow();
		if (!view.refundable()) {
			throw new BillingRefused("billing.refused.notRefundable");
		}
		BillView.Line line = view.lines()
			.stream()
			.filter(l -> l.id() == lineId)
			.findFirst()
			.orElseThrow(() -> new ScopedRecords.NotInScope("bill line", lineId));
		if (this.packages.soldPackage(lineId)) {
			throw new BillingRefused("billing.refused.packageLine");
		}
		// A visit paid from a package goes back to the package, whole; nothing else does.
		if (line.fromPackage() || to == PaymentMethod.PACKAGE) {
			if (!line.fromPackage() || to != PaymentMethod.PACKAGE) {
				throw new BillingRefused("billing.refused.packageRefund");
			}
			Money fromPackage = view.entries()
				.stream()
				.filter(e -> e.method() == PaymentMethod.PACKAGE && e.lineId() != null && e.lineId() == lineId)
				.map(e -> e.refund() ? Money.zero(bill.currency()).minus(e.amount()) : e.amount())
				.reduce(Money.zero(bill.currency()), Money::plus);
			if (amount.compareTo(fromPackage) != 0) {
				throw new BillingRefused("billing.refused.packageRefundWhole", fromPackage);
			}
			UUID batch = this.packages.returnLine(bill, lineId, clean, key);
			this.audit.record("PAYMENT_REFUNDED", "bill", billId, "line " + lineId + " PACKAGE " + amount.amount());
			return batch;
		}
		if (amount.compareTo(line.refundable()) > 0) {
			throw new BillingRefused("billing.refused.refundOverLine", line.refundable());
		}
		if (to != PaymentMethod.DEPOSIT) {
			Money byMethod = view.refundableByMethod().getOrDefault(to, Money.zero(bill.currency()));
			if (amount.compareTo(byMethod) > 0) {
				throw new BillingRefused("billing.refused.refundOverMethod", byMethod);
			}
			if (to == PaymentMethod.PACKAGE || to == PaymentMethod.POINTS) {
				throw new BillingRefused("billing.refused.method");
			}
		}
		this.settings.requireUnderRefundLimit(amount);
		long billAccount = this.ledger.billAccount(billId, bill.currency());
		long into = to == PaymentMethod.DEPOSIT ? this.ledger.depositAccount(bill.patientId(), bill.currency())
				: this.ledger.tillAccount(bill.branchId(), to, bill.currency());
		UUID batch = this.ledger.post(List.of(new Ledger.Transfer(billAccount, into, amount, "REFUND", to, billId,
				lineId, bill.patientId(), bill.branchId(), clean)), key, this.currentUser.actor());
		this.receipts.forRefund(batch, view, lineId, amount, to);
		this.audit.record("PAYMENT_REFUNDED", "bill", billId, "line " + lineId + " " + to + " " + amount.amount());
		this.events.publishEvent(new BillingEvents.PaymentRefunded(batch, billId, lineId, bill.patientId(),
				bill.branchId(), amount, to, clean, now()));
		return batch;
	}

	/** The patient's deposit: what their advances left after the bills they paid. */
	@Transactional(readOnly = true)
	public Money deposit(long patientId, Currency currency) {
		return this.ledger.depositBalance(patientId, currency);
	}

	/** The deposit account, locked, if it holds the amount. */
	private long spendable(long patientId, Money amount) {
		long deposit = lockedDeposit(patientId, amount.currency());
		requireCovered(deposit, amount);
		return deposit;
	}

	/**
	 * The patient's deposit account, held until the transaction ends: spends from it wait
	 * their turn.
	 */
	private long lockedDeposit(long patientId, Currency currency) {
		long deposit = this.ledger.depositAccount(patientId, currency);
		this.ledger.lock(deposit);
		return deposit;
	}

	private void requireCovered(long deposit, Money amount) {
		Money balance = this.ledger.balance(deposit, amount.currency());
		if (balance.compareTo(amount) < 0) {
			throw new BillingRefused("billing.refused.depositShort", balance);
		}
	}

	/**
	 * Money onto or off a deposit: the patient and the branch in the login's scope (404
	 * otherwise), by a method money is handed over by.
	 */
	private void requireDepositMove(long patientId, long branchId, PaymentMethod method) {
		this.patients.require(patientId);
		if (!this.currentUser.scope().includes(branchId)) {
			throw new ScopedRecords.NotInScope("branch", branchId);
		}
		if (!PaymentMethod.INTO_DEPOSIT.contains(method)) {
			throw new BillingRefused("billing.refused.method");
		}
	}

	private static Map<PaymentMethod, Money> positive(Map<PaymentMethod, Money> parts, Currency currency,
			boolean mayBeEmpty) {
		Map<PaymentMethod, Money> given = new EnumMap<>(PaymentMethod.class);
		parts.forEach((method, money) -> {
			if (money.isNegative()) {
				throw new BillingRefused("billing.refused.amountNegative");
			}
			if (!money.currency().equals(currency)) {
				throw new BillingRefused("billing.refused.currency");
			}
			if (money.isPositive()) {
				given.put(method, money);
			}
		});
		if (given.isEmpty() && !mayBeEmpty) {
			throw new BillingRefused("billing.refused.amountNotPositive");
		}
		return given;
	}

	private static String describe(Map<PaymentMethod, Money> parts) {
		return parts.entrySet()
			.stream()
			.map(e -> e.getKey() + " " + e.getValue().amount())
			.collect(java.util.stream.Collectors.joining(", "));
	}

	private Instant now() {
		return Instant.now(this.clock);
	}

}
