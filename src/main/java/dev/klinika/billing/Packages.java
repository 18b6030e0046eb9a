package dev.klinika.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.patients.PatientManagement;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.ScopedRecords;
import dev.klinika.shared.Money;

/**
 * Packages (абонементы) patients bought: made when the bill that sells one is paid in
 * full, spent by the visits they pay for (the oldest to expire first), given back when a
 * visit is cancelled, burned by a no-show where the clinic says so, frozen once, expired
 * or refunded at the end. A package's units and its money are two ledgers of entries that
 * are only added; a spend locks the package, so two desks spending its last visit wait
 * for each other and the second is told it is used up.
 */
@Service
class Packages {

	/** A package with what is left of it, read from {@code billing_package_v}. */
	record Held(long id, long productId, long patientId, long branchId, long billId, String name, String kind,
			@Nullable Long serviceId, @Nullable Long categoryId, BigDecimal units, Money price, int freezeDays,
			boolean shareable, Instant soldAt, BigDecimal unitsLeft, BigDecimal unitsSpent, BigDecimal unitsBurned,
			@Nullable Instant frozenAt, int frozenDays, @Nullable Instant expiresAt, boolean closed, boolean refunded,
			Money moneyLeft) {

		public boolean visits() {
			return "VISITS".equals(this.kind);
		}

		public boolean frozen(Instant now) {
			Instant until = frozenUntil();
			return until != null && now.isBefore(until);
		}

		public @Nullable Instant frozenUntil() {
			return this.frozenAt == null ? null : this.frozenAt.plus(Duration.ofDays(this.frozenDays));
		}

		public boolean expired(Instant now) {
			return this.expiresAt != null && !now.isBefore(this.expiresAt);
		}

		/** ACTIVE, FROZEN, USED (nothing left), EXPIRED or REFUNDED. */
		public String state(Instant now) {
			if (this.refunded) {
				return "REFUNDED";
			}
			if (this.unitsLeft.signum() <= 0) {
				return "USED";
			}
			if (this.closed || expired(now)) {
				return "EXPIRED";
			}
			return frozen(now) ? "FROZEN" : "ACTIVE";
		}

		public boolean usable(Instant now) {
			return "ACTIVE".equals(state(now));
		}

		/** What one visit of it costs now: the money left shared by the visits left. */
		public Money visitValue(int quantity) {
			BigDecimal left = this.unitsLeft;
			if (left.compareTo(BigDecimal.valueOf(quantity)) == 0) {
				return this.moneyLeft;
			}
			BigDecimal each = this.moneyLeft.amount().divide(left, 2, RoundingMode.DOWN);
			return new Money(each.multiply(BigDecimal.valueOf(quantity)), this.moneyLeft.currency());
		}

		public boolean pays(long serviceId, @Nullable Long categoryOfService) {
			return (this.serviceId != null && this.serviceId == serviceId)
					|| (this.categoryId != null && this.categoryId.equals(categoryOfService));
		}

	}

	/** One entry of a package's history. */
	record Entry(long id, String code, BigDecimal units, @Nullable Integer freezeDays, @Nullable Long billId,
			@Nullable Long appointmentId, long patientId, String createdBy, Instant at) {
	}

	/**
	 * The packages not closed whose end may have come by {@code :until}: the end is never
	 * before the sale plus the validity, so the sums are taken of these only.
	 */
	private static final String OPEN_ENDING_BY = """
			select p.id from patient_package p
			 where p.sold_at + make_interval(days => p.validity_days) <= :until
			   and not exists (select 1 from package_entry c where c.package_id = p.id and c.code in ('EXPIRED', 'REFUNDED'))
			""";

	private static final String SELECT = """
			select id, product_id, patient_id, branch_id, bill_id, name, kind, service_id, category_id, units, price,
			       currency, freeze_days, shareable, sold_at, units_left, units_spent, units_burned, frozen_at, frozen_days,
			       expires_at, closed, refunded, money_left
			  from billing_package_v
			""";

	private final JdbcClient jdbc;

	private final Bills bills;

	private final Ledger ledger;

	private final BillingSettings settings;

	private final PatientManagement patients;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	private final Receipts receipts;

	private final Clock clock;

	private final ScopedRecords scoped;

	private final org.springframework.context.ApplicationEventPublisher events;

	Packages(JdbcClient jdbc, Bills bills, Ledger ledger, BillingSettings settings, PatientManagement patients,
			CurrentUser currentUser, AuditLog audit, Receipts receipts, Clock clock, ScopedRecords scoped,
			org.springframework.context.ApplicationEventPublisher events) {
		this.scoped = scoped;
		this.events = events;
		this.jdbc = jdbc;
		this.bills = bills;
		this.ledger = ledger;
		this.settings = settings;
		this.patients = patients;
		this.currentUser = currentUser;
		this.audit = audit;
		this.receipts = receipts;
		this.clock = clock;
	}

	/** A package by id, whoever's it is: for the steps that check the patient. */
	Optional<Held> read(long id) {
		return this.jdbc.sql(SELECT + " where id = :id").param("id", id).query(this::held).optional();
	}

	/**
	 * A package sold in one of the login's branches to a card it may open, else 404: its
	 * page, its freeze and its refund are the selling branch's (any branch of the network
	 * may spend it for the patient at checkout).
	 */
	@Transactional(readOnly = true)
	public Held find(long id) {
		this.scoped.requireOrUnowned("package", id, "select branch_id from patient_package where id = :id");
		Held held = read(id).orElseThrow(() -> new ScopedRecords.NotInScope("package", id));
		this.patients.require(held.patientId());
		return held;
	}

	/**
	 * The packages a patient holds or may spend: their own, and the shareable ones of
	 * their family on the card; the newest first.
	 */
	@Transactional(readOnly = true)
	public List<Held> ofPatient(long patientId) {
		return this.jdbc.sql(SELECT + """
				 where id in (select p.id from patient_package p where p.patient_id = :patient
				              union select p.id from patient_package p
				               where p.shareable and p.patient_id in (
				                     select relative_id from patients_relative_v where patient_id = :patient
				                     union select patient_id from patients_relative_v where relative_id = :patient))
				 order by sold_at desc, id desc
				""").param("patient", patientId).query(this::held).list();
	}

	/**
	 * The packages that may pay a visit of the service for the patient now: the one that
	 * ends first comes first (one without an end yet last).
	 */
	@Transactional(readOnly = true)
	public List<Held> usableFor(long patientId, long serviceId) {
		return usable(ofPatient(patientId), serviceId);
	}

	/**
	 * For each service line of a bill, the packages that may pay it (as
	 * {@link #usableFor}), the card's packages read once.
	 */
	@Transactional(readOnly = true)
	public java.util.Map<Long, List<Held>> usableForLines(BillView bill) {
		List<Held> held = ofPatient(bill.patientId());
		java.util.Map<Long, List<Held>> usable = new java.util.HashMap<>();
		for (BillView.Line line : bill.lines()) {
			if (line.serviceId() != null) {
				usable.put(line.id(), usable(held, line.serviceId()));
			}
		}
		return usable;
	}

	private List<Held> usable(List<Held> held, long serviceId) {
		Instant now = now();
		Long category = categoryOf(serviceId);
		return held.stream()
			.filter(p -> p.usable(now) && p.pays(serviceId, category))
			.sorted(Comparator.comparing((Held p) -> p.expiresAt() == null ? Instant.MAX : p.expiresAt())
				.thenComparing(Held::id))
			.toList();
	}

	private @Nullable Long categoryOf(long serviceId) {
		return this.jdbc.sql("select category_id from catalog_service_v where id = :id")
			.param("id", serviceId)
			.query((rs, n) -> (Long) rs.getObject(1))
			.optional()
			.orElse(null);
	}

	/**
	 * What the packages named on an open bill's lines will pay of it at the first
	 * payment, as they stand now.
	 */
	@Transactional(readOnly = true)
	public Money willPay(BillView bill) {
		Money sum = Money.zero(bill.currency());
		for (BillView.Line line : bill.lines()) {
			if (line.fromPackage()) {
				Optional<Held> held = read(line.packageId());
				if (held.isPresent()) {
					sum = sum.plus(held.get().visits() ? line.amount() : line.amount().min(held.get().moneyLeft()));
				}
			}
		}
		return sum.min(bill.due());
	}

	/** The names of packages by id, for the lines they pay. */
	@Transactional(readOnly = true)
	public java.util.Map<Long, String> names(java.util.Collection<Long> ids) {
		java.util.Map<Long, String> names = new java.util.HashMap<>();
		if (!ids.isEmpty()) {
			this.jdbc.sql("select id, name from patient_package where id in (:ids)")
				.param("ids", ids)
				.query((rs, n) -> names.put(rs.getLong(1), rs.getString(2)))
				.list();
		}
		return names;
	}

	/** A package's entries, oldest first, with the bill each spend paid. */
	@Transactional(readOnly = true)
	public List<Entry> history(long packageId) {
		return this.jdbc
			.sql("""
					select e.id, e.code, e.units, e.freeze_days, l.bill_id, e.appointment_id, e.patient_id, e.created_by, e.created_at
					  from package_entry e left join bill_line l on l.id = e.bill_line_id
					 where e.package_id = :id order by e.id
					""")
			.param("id", packageId)
			.query((rs, n) -> new Entry(rs.getLong(1), rs.getString(2), rs.getBigDecimal(3), (Integer) rs.getObject(4),
					(Long) rs.getObject(5), (Long) rs.getObject(6), rs.getLong(7), rs.getString(8),
					rs.getObject(9, OffsetDateTime.class).toInstant()))
			.list();
	}

	/**
	 * The visit's bill for checkout; a new one has its service paid from the patient's
	 * package that ends first, if one pays it (the desk may choose another or none).
	 */
	@Transactional
	public long checkout(long appointmentId) {
		Optional<Long> existing = this.bills.existingOfVisit(appointmentId);
		long billId = this.bills.forVisit(appointmentId);
		if (existing.isEmpty()) {
			suggest(billId);
		}
		return billId;
	}

	private void suggest(long billId) {
		BillView bill = BillView.read(this.jdbc, billId).orElseThrow();
		if (!bill.editable() || bill.discount() != null) {
			return;
		}
		java.util.Map<Long, List<Held>> usableByLine = usableForLines(bill);
		for (BillView.Line line : bill.lines()) {
			if ("SERVICE".equals(line.kind()) && line.serviceId() != null && line.discount() == null
					&& !line.fromPackage()) {
				List<Held> usable = usableByLine.get(line.id());
				if (!usable.isEmpty() && fits(usable.get(0), line.quantity())) {
					cover(billId, line.id(), usable.get(0).id());
				}
			}
		}
	}

	private static boolean fits(Held held, int quantity) {
		return !held.visits() || held.unitsLeft().compareTo(BigDecimal.valueOf(quantity)) >= 0;
	}

	/**
	 * Pays a service line from a package, or from none ({@code packageId} null) back at
	 * its list price. A visit of a VISITS package is priced at its share of what the
	 * package cost; the spend itself is made with the bill's first payment.
	 */
	@Transactional
	public void cover(long billId, long lineId, @Nullable Long packageId) {
		Bills.BillRow bill = this.bills.lockEditable(billId);
		record Row(String kind, @Nullable Long serviceId, int quantity, BigDecimal unitPrice,
				@Nullable BigDecimal listPrice, @Nullable String discountKind) {
		}
		Row line = this.jdbc.sql("""
				select kind, service_id, quantity, unit_price, list_price, discount_kind from bill_line
				 where id = :line and bill_id = :bill
				""")
			.param("line", lineId)
			.param("bill", billId)
			.query(Row.class)
			.optional()
			.orElseThrow(() -> new ScopedRecords.NotInScope("bill line", lineId));
		BigDecimal list = line.listPrice() != null ? line.listPrice() : line.unitPrice();
		if (packageId == null) {
			price(lineId, list, null, null);
			this.audit.record("BILL_PACKAGE", "bill", billId, "line " + lineId + " none");
			return;
		}
		if (!"SERVICE".equals(line.kind()) || line.serviceId() == null) {
			throw new BillingRefused("billing.refused.packageNotService");
		}
		boolean discounted = line.discountKind() != null
				|| this.jdbc.sql("select discount_kind is not null from bill where id = :id")
					.param("id", billId)
					.query(Boolean.class)
					.single();
		if (discounted) {
			throw new BillingRefused("billing.refused.packageDiscount");
		}
		Held held = spendable(packageId, bill.patientId(), line.serviceId(), line.quantity());
		BigDecimal unit = list;
		if (held.visits()) {
			unit = unitPrice(held.visitValue(line.quantity()), line.quantity());
		}
		price(lineId, unit, list, packageId);
		this.audit.record("BILL_PACKAGE", "bill", billId, "line " + lineId + " package " + packageId);
	}

	private void price(long lineId, BigDecimal unit, @Nullable BigDecimal list, @Nullable Long packageId) {
		this.jdbc.sql("""
				update bill_line set unit_price = :unit, list_price = :list, patient_package_id = :package,
				       amount = :unit * quantity - discount
				 where id = :line
				""").param("unit", unit).param("list", list).param("package", packageId).param("line", lineId).update();
	}

	/**
	 * A visit's price of a VISITS package, exact to the kopeck; the last visits of a
	 * package whose money does not divide among them are billed one line each.
	 */
	private static BigDecimal unitPrice(Money value, int quantity) {
		BigDecimal unit = value.amount().divide(BigDecimal.valueOf(quantity), 2, RoundingMode.DOWN);
		if (unit.multiply(BigDecimal.valueOf(quantity)).compareTo(value.amount()) != 0) {
			throw new BillingRefused("billing.refused.packageSplit");
		}
		return unit;
	}

	/**
	 * The package, for the patient, paying the service, with the units for the quantity;
	 * refused with the reason otherwise.
	 */
	private Held spendable(long packageId, long patientId, long serviceId, int quantity) {
		Held held = ofPatient(patientId).stream()
			.filter(p -> p.id() == packageId)
			.findFirst()
			.orElseThrow(() -> new ScopedRecords.NotInScope("package", packageId));
		Instant now = now();
		switch (held.state(now)) {
			case "FROZEN" -> throw new BillingRefused("billing.refused.packageFrozen", day(held.frozenUntil()));
			case "EXPIRED", "REFUNDED" -> throw new BillingRefused("billing.refused.packageExpired");
			case "USED" -> throw new BillingRefused("billing.refused.packageEmpty");
			default -> {
			}
		}
		if (!held.pays(serviceId, categoryOf(serviceId))) {
			throw new BillingRefused("billing.refused.packageService");
		}
		if (!fits(held, quantity)) {
			throw new BillingRefused("billing.refused.packageEmpty");
		}
		return held;
	}

	/**
	 * The package parts of a bill's first payment: each line paid from a package spends
	 * its units (or, {@code code} BURNED, a no-show's), under the package's lock, checked
	 * again, and its price set to what the package pays now. The entries are written; the
	 * transfers are for the payment's batch.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	List<Ledger.Transfer> spend(Bills.BillRow bill, BillView view, String code) {
		List<Ledger.Transfer> transfers = new ArrayList<>();
		if (bill.issued()) {
			return transfers;
		}
		long billAccount = this.ledger.billAccount(bill.id(), bill.currency());
		for (BillView.Line line : view.lines()) {
			if (!line.fromPackage() || line.serviceId() == null) {
				continue;
			}
			long packageId = line.packageId();
			lock(packageId);
			Held held = spendable(packageId, bill.patientId(), line.serviceId(), line.quantity());
			Money value;
			BigDecimal units;
			if (held.visits()) {
				value = held.visitValue(line.quantity());
				units = BigDecimal.valueOf(line.quantity());
				if (value.compareTo(line.amount()) != 0) {
					price(line.id(), unitPrice(value, line.quantity()),
							line.listPrice() == null ? null : line.listPrice().amount(), packageId);
				}
			}
			else {
				value = line.amount().min(held.moneyLeft());
				units = value.amount();
				if (!value.isPositive()) {
					throw new BillingRefused("billing.refused.packageEmpty");
				}
			}
			entry(packageId, code, units, null, line.id(), bill.appointmentId(), bill.patientId());
			if (value.isPositive()) {
				transfers.add(new Ledger.Transfer(this.ledger.packageAccount(packageId, bill.currency()), billAccount,
						value, "PAYMENT", PaymentMethod.PACKAGE, bill.id(), line.id(), bill.patientId(),
						bill.branchId(), null));
			}
		}
		return transfers;
	}

	/**
	 * Makes the packages a bill sold once the bill is paid in full: their units are sold
	 * and the money of their lines moves from the bill into each package.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void activate(long billId) {
		BillView view = BillView.read(this.jdbc, billId).orElseThrow();
		if (view.status() != BillStatus.PAID) {
			return;
		}
		record Sold(long lineId, long productId, BigDecimal amount) {
		}
		List<Sold> sold = this.jdbc.sql("""
				select l.id as line_id, l.package_product_id as product_id, l.amount from bill_line l
				 where l.bill_id = :bill and l.kind = 'PACKAGE'
				   and not exists (select 1 from patient_package p where p.bill_line_id = l.id)
				 order by l.position
				""").param("bill", billId).query(Sold.class).list();
		List<Ledger.Transfer> transfers = new ArrayList<>();
		for (Sold line : sold) {
			long packageId = this.jdbc
				.sql("""
						insert into patient_package (product_id, patient_id, branch_id, bill_id, bill_line_id, name, kind, service_id,
						                             category_id, units, price, currency, validity_days, validity_from, freeze_days,
						                             shareable, sold_at, created_by)
						select p.id, :patient, :branch, :bill, :line, p.name, p.kind, p.service_id, p.category_id,
						       case when p.kind = 'VISITS' then p.visits else :amount end, :amount, :currency, p.validity_days,
						       p.validity_from, p.freeze_days, p.shareable, :at, :actor
						  from catalog_package_v p where p.id = :product
						returning id
						""")
				.param("patient", view.patientId())
				.param("branch", view.branchId())
				.param("bill", billId)
				.param("line", line.lineId())
				.param("amount", line.amount())
				.param("currency", view.currency().getCurrencyCode())
				.param("at", OffsetDateTime.ofInstant(now(), ZoneOffset.UTC))
				.param("actor", this.currentUser.actor())
				.param("product", line.productId())
				.query(Long.class)
				.single();
			Held held = read(packageId).orElseThrow();
			if (held.units().signum() <= 0) {
				throw new BillingRefused("billing.refused.packageProduct");
			}
			entry(packageId, "SOLD", held.units(), null, null, null, view.patientId());
			Money money = new Money(line.amount(), view.currency());
			if (money.isPositive()) {
				transfers.add(new Ledger.Transfer(this.ledger.billAccount(billId, view.currency()),
						this.ledger.packageAccount(packageId, view.currency()), money, "PACKAGE_SOLD",
						PaymentMethod.PACKAGE, billId, line.lineId(), view.patientId(), view.branchId(), null));
			}
			this.audit.record("PACKAGE_SOLD", "package", packageId, held.name());
		}
		if (!transfers.isEmpty()) {
			this.ledger.post(transfers, null, this.currentUser.actor());
		}
	}

	/**
	 * Whether a line sold a package that was made: its money is given back through the
	 * package (what is left of it), not as a refund of the line.
	 */
	boolean soldPackage(long lineId) {
		return this.jdbc.sql("select count(*) > 0 from patient_package where bill_line_id = :line")
			.param("line", lineId)
			.query(Boolean.class)
			.single();
	}

	/** A spend of a package that was not given back yet. */
	private record Spent(long packageId, BigDecimal units, long lineId, long billId, long patientId, long branchId,
			Currency currency) {
	}

	private static final String SPENT = """
			select e.package_id, e.units, e.bill_line_id, b.id, b.patient_id, b.branch_id, b.currency
			  from package_entry e join bill_line l on l.id = e.bill_line_id join bill b on b.id = l.bill_id
			 where {which} and e.code in ('SPENT', 'BURNED')
			   and not exists (select 1 from package_entry r where r.bill_line_id = e.bill_line_id and r.code = 'RETURNED')
			 order by e.id
			""";

	private List<Spent> spent(String which, long id) {
		return this.jdbc.sql(SPENT.replace("{which}", which))
			.param("id", id)
			.query((rs, n) -> new Spent(rs.getLong(1), rs.getBigDecimal(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
					rs.getLong(6), Currency.getInstance(rs.getString(7).trim())))
			.list();
	}

	/**
	 * A cancelled visit gives back what its bills spent of packages: the units, and the
	 * money onto the package from the visit's bill.
	 */
	@Transactional
	public int returnOfVisit(long appointmentId) {
		List<Spent> spent = spent("b.appointment_id = :id", appointmentId);
		for (Spent s : spent) {
			giveBack(s, appointmentId, "visit cancelled", null);
		}
		return spent.size();
	}

	/**
	 * A line paid from a package given back to it whole (a visit the clinic takes back),
	 * as the desk's refund of that line with a reason; the bill is locked by the caller.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	UUID returnLine(Bills.BillRow bill, long lineId, String reason, @Nullable String key) {
		List<Spent> spent = spent("e.bill_line_id = :id", lineId);
		if (spent.isEmpty()) {
			throw new BillingRefused("billing.refused.packageReturned");
		}
		return giveBack(spent.get(0), bill.appointmentId(), reason, key);
	}

	private UUID giveBack(Spent s, @Nullable Long appointmentId, String reason, @Nullable String key) {
		lock(s.packageId());
		entry(s.packageId(), "RETURNED", s.units(), null, s.lineId(), appointmentId, s.patientId());
		BigDecimal paid = this.jdbc.sql("""
				select coalesce(sum(amount) filter (where code = 'PAYMENT'), 0)
				     - coalesce(sum(amount) filter (where code = 'REFUND'), 0)
				  from ledger_transfer where bill_line_id = :line and method = 'PACKAGE'
				""").param("line", s.lineId()).query(BigDecimal.class).single();
		Money money = new Money(paid, s.currency());
		UUID batch = null;
		if (money.isPositive()) {
			batch = this.ledger.post(
					List.of(new Ledger.Transfer(this.ledger.billAccount(s.billId(), s.currency()),
							this.ledger.packageAccount(s.packageId(), s.currency()), money, "REFUND",
							PaymentMethod.PACKAGE, s.billId(), s.lineId(), s.patientId(), s.branchId(), reason)),
					key, this.currentUser.actor());
		}
		this.audit.record("PACKAGE_RETURNED", "package", s.packageId(),
				appointmentId == null ? "line " + s.lineId() : "visit " + appointmentId);
		return batch == null ? UUID.randomUUID() : batch;
	}

	/**
	 * A no-show, where the clinic's rule says so, is charged from the patient's package
	 * that pays its service and ends first: the visit gets a bill paid by the package.
	 */
	@Transactional
	public boolean burnForNoShow(long appointmentId) {
		if (!this.settings.current().packageNoShowBurns()) {
			return false;
		}
		record Visit(long patientId, long serviceId) {
		}
		Visit visit = this.jdbc.sql("select patient_id, service_id from scheduling_appointment_v where id = :id")
			.param("id", appointmentId)
			.query(Visit.class)
			.single();
		if (this.bills.existingOfVisit(appointmentId).isPresent()) {
			return false;
		}
		List<Held> usable = usableFor(visit.patientId(), visit.serviceId());
		if (usable.isEmpty() || !usable.get(0).visits()) {
			return false;
		}
		long billId = this.bills.forVisitBySystem(appointmentId);
		BillView view = BillView.read(this.jdbc, billId).orElseThrow();
		if (view.lines().size() != 1 || view.lines().get(0).quantity() != 1) {
			return false;
		}
		Held held = usable.get(0);
		long lineId = view.lines().get(0).id();
		BigDecimal list = view.lines().get(0).unitPrice().amount();
		price(lineId, unitPrice(held.visitValue(1), 1), list, held.id());
		Bills.BillRow bill = this.bills.lockRow(billId);
		List<Ledger.Transfer> transfers = spend(bill, BillView.read(this.jdbc, billId).orElseThrow(), "BURNED");
		if (!transfers.isEmpty()) {
			this.ledger.post(transfers, null, this.currentUser.actor());
		}
		this.bills.issue(billId, now());
		this.audit.record("PACKAGE_BURNED", "package", held.id(), "visit " + appointmentId);
		return true;
	}

	/**
	 * Freezes a package from today for up to its allowance of days, once; the freeze
	 * moves its end on by as many days.
	 */
	@Transactional
	public void freeze(long packageId, int days) {
		Held held = find(packageId);
		lock(packageId);
		if (held.freezeDays() == 0) {
			throw new BillingRefused("billing.refused.freezeNone");
		}
		if (held.frozenAt() != null) {
			throw new BillingRefused("billing.refused.freezeOnce");
		}
		if (days < 1 || days > held.freezeDays()) {
			throw new BillingRefused("billing.refused.freezeDays", held.freezeDays());
		}
		if (!held.usable(now())) {
			throw new BillingRefused("billing.refused.packageExpired");
		}
		entry(packageId, "FROZEN", BigDecimal.ZERO, days, null, null, held.patientId());
		this.audit.record("PACKAGE_FROZEN", "package", packageId, days + " days");
	}

	/**
	 * Pays back what is left of a package's money by a method money is handed over by,
	 * with a reason, and closes it; above the ADMIN's refund limit only for a senior
	 * admin or a manager.
	 */
	@Transactional
	public UUID refundRest(long packageId, long branchId, PaymentMethod method, String reason, @Nullable String key) {
		Held found = find(packageId);
		if (!this.currentUser.scope().includes(branchId)) {
			throw new ScopedRecords.NotInScope("branch", branchId);
		}
		if (!PaymentMethod.INTO_DEPOSIT.contains(method)) {
			throw new BillingRefused("billing.refused.method");
		}
		String clean = Typed.text(reason, 500, "billing.refused.refundReason");
		lock(packageId);
		Optional<UUID> done = this.ledger.batchOf(key, found.patientId());
		if (done.isPresent()) {
			return done.get();
		}
		Held held = read(packageId).orElseThrow();
		if (held.closed() || held.unitsLeft().signum() <= 0 || !held.moneyLeft().isPositive()) {
			throw new BillingRefused("billing.refused.packageNothingLeft");
		}
		Money money = held.moneyLeft();
		this.settings.requireUnderRefundLimit(money);
		entry(packageId, "REFUNDED", held.unitsLeft(), null, null, null, held.patientId());
		UUID batch = this.ledger
			.post(List.of(new Ledger.Transfer(this.ledger.packageAccount(packageId, money.currency()),
					this.ledger.tillAccount(branchId, method, money.currency()), money, "PACKAGE_REFUNDED", method,
					held.billId(), null, held.patientId(), branchId, clean)), key, this.currentUser.actor());
		this.receipts.forAdvanceReturned(batch, held.patientId(), branchId, method, money);
		this.audit.record("PACKAGE_REFUNDED", "package", packageId, method + " " + money.amount());
		return batch;
	}

	/**
	 * Closes the packages whose validity ended with units left: the units expire and the
	 * money left is the clinic's. How many were closed.
	 */
	@Transactional
	public int expireDue() {
		List<Held> due = this.jdbc.sql(SELECT + """
				 where id in (%s) and not closed and units_left > 0 and expires_at <= :now order by id limit 500
				""".formatted(OPEN_ENDING_BY))
			.param("now", OffsetDateTime.ofInstant(now(), ZoneOffset.UTC))
			.param("until", OffsetDateTime.ofInstant(now(), ZoneOffset.UTC))
			.query(this::held)
			.list();
		int closed = 0;
		for (Held candidate : due) {
			lock(candidate.id());
			Held held = read(candidate.id()).orElseThrow();
			if (held.closed() || held.unitsLeft().signum() <= 0 || !held.expired(now())) {
				continue;
			}
			entry(held.id(), "EXPIRED", held.unitsLeft(), null, null, null, held.patientId());
			if (held.moneyLeft().isPositive()) {
				Currency currency = held.moneyLeft().currency();
				this.ledger.post(List.of(new Ledger.Transfer(this.ledger.packageAccount(held.id(), currency),
						this.ledger.tillAccount(held.branchId(), PaymentMethod.PACKAGE, currency), held.moneyLeft(),
						"PACKAGE_EXPIRED", PaymentMethod.PACKAGE, held.billId(), null, held.patientId(),
						held.branchId(), null)), null, "system");
			}
			this.audit.record("system", null, "PACKAGE_EXPIRED", "package", held.id(),
					held.unitsLeft().toPlainString());
			closed++;
		}
		return closed;
	}

	/** Sold against used of one product over a period: units and money. */
	record Usage(long productId, String name, String kind, int sold, BigDecimal unitsSold, Money money,
			BigDecimal spent, BigDecimal burned, BigDecimal expired, BigDecimal refunded, BigDecimal left) {
	}

	/** What a branch sold over a period, by product, and what of it was used so far. */
	@Transactional(readOnly = true)
	public List<Usage> usage(long branchId, Instant from, Instant to, Currency currency) {
		return this.jdbc
			.sql("""
					select product_id, min(name), min(kind), count(*), sum(units), sum(price), sum(units_spent), sum(units_burned),
					       sum(units_expired), sum(units_refunded), sum(units_left)
					  from billing_package_v
					 where id in (select id from patient_package where branch_id = :branch and sold_at >= :from and sold_at < :to)
					 group by product_id order by min(name)
					""")
			.param("branch", branchId)
			.param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
			.query((rs, n) -> new Usage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
					rs.getBigDecimal(5), new Money(rs.getBigDecimal(6), currency), rs.getBigDecimal(7),
					rs.getBigDecimal(8), rs.getBigDecimal(9), rs.getBigDecimal(10), rs.getBigDecimal(11)))
			.list();
	}

	/**
	 * Announces, once each, the packages that end within the clinic's days of warning
	 * with units left and are not frozen: the automation rules make the desk's task, and
	 * messaging writes to the patient. How many were announced.
	 */
	@Transactional
	public int warnDue() {
		Instant now = now();
		int days = this.settings.current().packageWarnDays();
		List<Held> due = this.jdbc.sql(SELECT + """
				 where id in (%s) and not closed and units_left > 0 and expires_at > :now and expires_at <= :until
				   and not exists (select 1 from package_warning w where w.package_id = billing_package_v.id)
				 order by expires_at limit 500
				""".formatted(OPEN_ENDING_BY))
			.param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.param("until", OffsetDateTime.ofInstant(now.plus(Duration.ofDays(days)), ZoneOffset.UTC))
			.query(this::held)
			.list();
		int warned = 0;
		for (Held held : due) {
			if (held.frozen(now)) {
				continue;
			}
			int claimed = this.jdbc.sql("""
					insert into package_warning (package_id, warned_at) values (:id, :at) on conflict do nothing
					""").param("id", held.id()).param("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).update();
			if (claimed == 1) {
				this.events.publishEvent(new BillingEvents.PackageExpiring(held.id(), held.patientId(), held.branchId(),
						held.name(), held.visits(), held.unitsLeft(), held.moneyLeft(), held.expiresAt()));
				warned++;
			}
		}
		return warned;
	}

	/**
	 * Every ten minutes, on one node: the packages that end soon, and those that ended.
	 */
	@org.springframework.context.annotation.Bean
	static com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> packageExpiryJob(Packages packages) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks
			.recurring("package-expiry", com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.ofMinutes(10))
			.execute((instance, context) -> {
				packages.warnDue();
				packages.expireDue();
			});
	}

	/** Holds the package until the transaction ends: its other spends wait their turn. */
	private void lock(long packageId) {
		this.jdbc.sql("select id from patient_package where id = :id for update")
			.param("id", packageId)
			.query()
			.rowSet();
	}

	private void entry(long packageId, String code, BigDecimal units, @Nullable Integer freezeDays,
			@Nullable Long lineId, @Nullable Long appointmentId, long patientId) {
		this.jdbc
			.sql("""
					insert into package_entry (package_id, code, units, freeze_days, bill_line_id, appointment_id, patient_id,
					                           created_by, created_at)
					values (:package, :code, :units, :freeze, :line, :visit, :patient, :actor, :at)
					""")
			.param("package", packageId)
			.param("code", code)
			.param("units", units)
			.param("freeze", freezeDays)
			.param("line", lineId)
			.param("visit", appointmentId)
			.param("patient", patientId)
			.param("actor", this.currentUser.actor())
			.param("at", OffsetDateTime.ofInstant(now(), ZoneOffset.UTC))
			.update();
	}

	private Held held(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		Currency currency = Currency.getInstance(rs.getString("currency").trim());
		OffsetDateTime frozen = rs.getObject("frozen_at", OffsetDateTime.class);
		OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
		return new Held(rs.getLong("id"), rs.getLong("product_id"), rs.getLong("patient_id"), rs.getLong("branch_id"),
				rs.getLong("bill_id"), rs.getString("name"), rs.getString("kind"), (Long) rs.getObject("service_id"),
				(Long) rs.getObject("category_id"), rs.getBigDecimal("units"),
				new Money(rs.getBigDecimal("price"), currency), rs.getInt("freeze_days"), rs.getBoolean("shareable"),
				rs.getObject("sold_at", OffsetDateTime.class).toInstant(), rs.getBigDecimal("units_left"),
				rs.getBigDecimal("units_spent"), rs.getBigDecimal("units_burned"),
				frozen == null ? null : frozen.toInstant(), rs.getInt("frozen_days"),
				expires == null ? null : expires.toInstant(), rs.getBoolean("closed"), rs.getBoolean("refunded"),
				new Money(rs.getBigDecimal("money_left"), currency));
	}

	private static String day(@Nullable Instant at) {
		return at == null ? "—" : java.time.format.DateTimeFormatter.ofPattern("dd.MM.yyyy")
			.format(at.atZone(java.time.ZoneId.of("Europe/Moscow")));
	}

	private Instant now() {
		return Instant.now(this.clock);
	}

}
