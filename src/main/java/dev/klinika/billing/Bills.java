package dev.klinika.billing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.catalog.CatalogQueries;
import dev.klinika.organization.ClinicProfile;
import dev.klinika.patients.PatientManagement;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.ScopedRecords;
import dev.klinika.shared.Money;

/**
 * Bills and their lines: made for a visit (its service prefilled at the price of the
 * visit's day) or at the desk without one, changed only until the first payment issues
 * them, voided with a reason. Every step names the bill by id and is refused (404) for a
 * bill outside the login's branches.
 */
@Service
class Bills {

	static final String BRANCH_OF_BILL = "select branch_id from bill where id = :id";

	private static final String BRANCH_OF_VISIT = "select branch_id from scheduling_appointment_v where id = :id";

	private final JdbcClient jdbc;

	private final ScopedRecords scoped;

	private final CurrentUser currentUser;

	private final CatalogQueries catalog;

	private final ClinicProfile clinic;

	private final PatientManagement patients;

	private final BillingSettings settings;

	private final AuditLog audit;

	private final Clock clock;

	Bills(JdbcClient jdbc, ScopedRecords scoped, CurrentUser currentUser, CatalogQueries catalog, ClinicProfile clinic,
			PatientManagement patients, BillingSettings settings, AuditLog audit, Clock clock) {
		this.jdbc = jdbc;
		this.scoped = scoped;
		this.currentUser = currentUser;
		this.catalog = catalog;
		this.clinic = clinic;
		this.patients = patients;
		this.settings = settings;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * The bill of a visit: the one being made, or the newest one that is not void, or a
	 * new one with the visit's service at the price of its day. A cancelled visit gets no
	 * new bill.
	 */
	@Transactional
	public long forVisit(long appointmentId) {
		this.scoped.requireOrUnowned("appointment", appointmentId, BRANCH_OF_VISIT);
		return existingOfVisit(appointmentId).orElseGet(() -> newBillFor(appointmentId));
	}

	/**
	 * The bill of a visit without the login's scope, for the system's own steps (a
	 * no-show charged from a package).
	 */
	@Transactional
	long forVisitBySystem(long appointmentId) {
		return existingOfVisit(appointmentId).orElseGet(() -> newBillFor(appointmentId));
	}

	/** The visit's bill being made, or the newest one that is not void. */
	@Transactional(readOnly = true)
	public Optional<Long> existingOfVisit(long appointmentId) {
		return this.jdbc.sql("""
				select id from bill where appointment_id = :visit and voided_at is null order by id desc limit 1
				""").param("visit", appointmentId).query(Long.class).optional();
	}

	/**
	 * A second bill for a visit whose bill was refunded: the correction of a closed bill
	 * is a refund and a new bill.
	 */
	@Transactional
	public long correctionFor(long billId) {
		BillRow bill = lockOpenOrClosed(billId);
		if (bill.appointmentId() == null) {
			throw new BillingRefused("billing.refused.noVisit");
		}
		BillView view = view(billId).orElseThrow();
		if (view.status() != BillStatus.REFUNDED) {
			throw new BillingRefused("billing.refused.correctionNeedsRefund");
		}
		return newBillFor(bill.appointmentId());
	}

	private long newBillFor(long appointmentId) {
		Visit visit = this.jdbc
			.sql("""
					select id, branch_id, patient_id, service_id, staff_id, status from scheduling_appointment_v where id = :id
					""")
			.param("id", appointmentId)
			.query((rs, n) -> new Visit(rs.getLong("id"), rs.getLong("branch_id"), rs.getLong("patient_id"),
					rs.getLong("service_id"), rs.getLong("staff_id"), rs.getString("status")))
			.single();
		if ("CANCELLED".equals(visit.status())) {
			throw new BillingRefused("billing.refused.visitCancelled");
		}
		// Two clicks on checkout at once: the unique index lets one bill be made, the
		// other click finds it.
		Long id = this.jdbc.sql("""
				insert into bill (branch_id, patient_id, appointment_id, currency, created_by, created_at)
				values (:branch, :patient, :visit, :currency, :actor, :at) on conflict do nothing returning id
				""")
			.param("branch", visit.branchId())
			.param("patient", visit.patientId())
			.param("visit", visit.id())
			.param("currency", currency().getCurrencyCode())
			.param("actor", this.currentUser.actor())
			.param("at", now())
			.query(Long.class)
			.optional()
			.orElse(null);
		if (id == null) {
			return this.jdbc.sql("""
					select id from bill where appointment_id = :visit and issued_at is null and voided_at is null
					""").param("visit", appointmentId).query(Long.class).single();
		}
		// A service without any price yet leaves the bill empty for the desk to fill.
		serviceLine(id, visit.serviceId(), visit.staffId(), 1);
		this.audit.record("BILL_CREATED", "bill", id, "visit " + appointmentId);
		return id;
	}

	/** A bill without a visit (a certificate, a package sold at the desk). */
	@Transactional
	public long create(long patientId, long branchId) {
		this.patients.require(patientId);
		if (!this.currentUser.scope().includes(branchId)) {
			throw new ScopedRecords.NotInScope("branch", branchId);
		}
		return insertBill(patientId, branchId);
	}

	/**
	 * A bill for a package bought online, made by the system: the patient's card was made
	 * or found by the purchase, the branch is the one whose page sold it.
	 */
	@Transactional
	long packageBillBySystem(long patientId, long branchId, long productId, Money paid) {
		long id = insertBill(patientId, branchId);
		packageLine(id, productId, paid);
		return id;
	}

	private long insertBill(long patientId, long branchId) {
		long id = this.jdbc.sql("""
				insert into bill (branch_id, patient_id, currency, created_by, created_at)
				values (:branch, :patient, :currency, :actor, :at) returning id
				""")
			.param("branch", branchId)
			.param("patient", patientId)
			.param("currency", currency().getCurrencyCode())
			.param("actor", this.currentUser.actor())
			.param("at", now())
			.query(Long.class)
			.single();
		this.audit.record("BILL_CREATED", "bill", id, null);
		return id;
	}

	/** Adds a catalog service at its price on the bill's day. */
	@Transactional
	public void addService(long billId, long serviceId, int quantity) {
		BillRow bill = lockEditable(billId);
		checkQuantity(quantity);
		if (!serviceLine(billId, serviceId, bill.staffId(), quantity)) {
			throw new BillingRefused("billing.refused.noPrice", priceDay(billId));
		}
		this.audit.record("BILL_LINE_ADDED", "bill", billId, "service " + serviceId + " x" + quantity);
	}

	/** A service's line at the price of the bill's day, if it has a price at all. */
	private boolean serviceLine(long billId, long serviceId, @Nullable Long staffId, int quantity) {
		Optional<Money> price = this.catalog.billedPriceOn(serviceId, priceDay(billId));
		if (price.isEmpty()) {
			return false;
		}
		insertLine(billId, "SERVICE", serviceId, null, staffId,
				this.catalog.names(List.of(serviceId)).getOrDefault(serviceId, "—"), quantity, price.get());
		reprice(billId);
		return true;
	}

	/**
	 * The day whose prices a bill charges: its visit's day in the branch's zone, or the
	 * day it was made for a bill without a visit.
	 */
	@Transactional(readOnly = true)
	public LocalDate priceDay(long billId) {
		return this.jdbc.sql("""
				select (coalesce(a.starts_at, b.created_at) at time zone br.time_zone)::date
				  from bill b left join scheduling_appointment_v a on a.id = b.appointment_id
				  join organization_branch_v br on br.id = b.branch_id
				 where b.id = :id
				""").param("id", billId).query(LocalDate.class).single();
	}

	/** Adds the sale of a package product of the catalog at its price. */
	@Transactional
	public void addPackage(long billId, long productId) {
		lockEditable(billId);
		packageLine(billId, productId, null);
	}

	/** A package's line, at its price now or at the price it was paid at online. */
	private void packageLine(long billId, long productId, @Nullable Money paid) {
		record Product(String name, BigDecimal price, boolean active) {
		}
		Product product = this.jdbc.sql("select name, price, active from catalog_package_v where id = :id")
			.param("id", productId)
			.query(Product.class)
			.optional()
			.filter(Product::active)
			.orElseThrow(() -> new BillingRefused("billing.refused.packageProduct"));
		insertLine(billId, "PACKAGE", null, productId, null, product.name(), 1,
				paid != null ? paid : new Money(product.price(), currency()));
		reprice(billId);
		this.audit.record("BILL_LINE_ADDED", "bill", billId, "package " + productId);
	}

	/**
	 * Adds goods or materials at a price typed at the desk, where the clinic allows it.
	 */
	@Transactional
	public void addGoods(long billId, String name, Money price, int quantity) {
		BillRow bill = lockEditable(billId);
		if (!this.settings.current().freePriceLines()) {
			throw new BillingRefused("billing.refused.freePriceOff");
		}
		checkQuantity(quantity);
		String clean = Typed.text(name, 200, "billing.refused.lineName");
		if (price.isNegative() || !price.currency().equals(bill.currency())) {
			throw new BillingRefused("billing.refused.amountNegative");
		}
		insertLine(billId, "GOODS", null, null, null, clean, quantity, price);
		reprice(billId);
		this.audit.record("BILL_LINE_ADDED", "bill", billId, "goods x" + quantity);
	}

	@Transactional
	public void removeLine(long billId, long lineId) {
		lockEditable(billId);
		int removed = this.jdbc.sql("delete from bill_line where id = :line and bill_id = :bill")
			.param("line", lineId)
			.param("bill", billId)
			.update();
		if (removed == 0) {
			throw new ScopedRecords.NotInScope("bill line", lineId);
		}
		reprice(billId);
		this.audit.record("BILL_LINE_REMOVED", "bill", billId, "line " + lineId);
	}

	/** Sets or clears a line's own discount. */
	@Transactional
	public void discountLine(long billId, long lineId, @Nullable Discount discount) {
		lockEditable(billId);
		checkReason(discount);
		refuseWithPackage(billId, discount);
		int changed = this.jdbc.sql("""
				update bill_line set discount_kind = :kind, discount_value = :value, discount_reason_id = :reason
				 where id = :line and bill_id = :bill
				""")
			.param("kind", discount == null ? null : discount.kind().name())
			.param("value", discount == null ? null : discount.value())
			.param("reason", discount == null ? null : discount.reasonId())
			.param("line", lineId)
			.param("bill", billId)
			.update();
		if (changed == 0) {
			throw new ScopedRecords.NotInScope("bill line", lineId);
		}
		reprice(billId);
		this.audit.record("BILL_DISCOUNT", "bill", billId, "line " + lineId + " " + describe(discount));
	}

	/** Sets or clears the discount of the whole bill. */
	@Transactional
	public void discountBill(long billId, @Nullable Discount discount) {
		lockEditable(billId);
		checkReason(discount);
		refuseWithPackage(billId, discount);
		this.jdbc
			.sql("""
					update bill set discount_kind = :kind, discount_value = :value, discount_reason_id = :reason where id = :bill
					""")
			.param("kind", discount == null ? null : discount.kind().name())
			.param("value", discount == null ? null : discount.value())
			.param("reason", discount == null ? null : discount.reasonId())
			.param("bill", billId)
			.update();
		reprice(billId);
		this.audit.record("BILL_DISCOUNT", "bill", billId, describe(discount));
	}

	/**
	 * Voids a bill nothing was paid on (a cancelled visit, a mistake), with a reason. A
	 * bill with money on it is refunded instead.
	 */
	@Transactional
	public void voidBill(long billId, String reason) {
		BillRow bill = lockOpenOrClosed(billId);
		String clean = Typed.text(reason, 500, "billing.refused.voidReason");
		if (bill.voided()) {
			throw new BillingRefused("billing.refused.void");
		}
		if (BillView.read(this.jdbc, billId).orElseThrow().paid().isPositive()) {
			throw new BillingRefused("billing.refused.voidPaid");
		}
		voidUnpaid(billId, clean);
	}

	/**
	 * Voids the unpaid bills of a visit that was cancelled; paid ones stay for a refund.
	 */
	@Transactional
	public int voidUnpaidOfVisit(long appointmentId, String reason) {
		List<Long> ids = this.jdbc.sql("""
				select id from bill b where appointment_id = :visit and voided_at is null
				   and not exists (select 1 from ledger_transfer t where t.bill_id = b.id)
				 for update
				""").param("visit", appointmentId).query(Long.class).list();
		ids.forEach(id -> voidUnpaid(id, reason));
		return ids.size();
	}

	private void voidUnpaid(long billId, String reason) {
		this.jdbc.sql("update bill set voided_at = :at, void_reason = :reason where id = :id")
			.param("at", now())
			.param("reason", reason)
			.param("id", billId)
			.update();
		this.audit.record("BILL_VOIDED", "bill", billId, reason);
	}

	/** The first payment issues the bill: its lines never change after that. */
	void issue(long billId, Instant at) {
		this.jdbc.sql("update bill set issued_at = :at where id = :id and issued_at is null")
			.param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
			.param("id", billId)
			.update();
	}

	/** The bill as the desk sees it: lines, totals, payments and state. */
	@Transactional(readOnly = true)
	public Optional<BillView> view(long billId) {
		if (!this.scoped.visibleOrUnowned(billId, BRANCH_OF_BILL)) {
			return Optional.empty();
		}
		return BillView.read(this.jdbc, billId);
	}

	/** A bill of another branch, or none: 404 before a form's fields are even read. */
	void requireVisible(long billId) {
		this.scoped.requireOrUnowned("bill", billId, BRANCH_OF_BILL);
	}

	/** The bill locked for a change of its lines or discounts: open, in scope. */
	BillRow lockEditable(long billId) {
		BillRow bill = lockOpenOrClosed(billId);
		if (bill.voided()) {
			throw new BillingRefused("billing.refused.void");
		}
		if (bill.issued()) {
			throw new BillingRefused("billing.refused.issued");
		}
		return bill;
	}

	/** The bill locked for any change, in scope, whatever its state. */
	BillRow lockOpenOrClosed(long billId) {
		this.scoped.requireOrUnowned("bill", billId, BRANCH_OF_BILL);
		return lockRow(billId);
	}

	/** The bill locked, for the system's own steps that have no login's scope. */
	BillRow lockRow(long billId) {
		return this.jdbc.sql("""
				select b.id, b.branch_id, b.patient_id, b.appointment_id, b.currency, b.issued_at is not null as issued,
				       b.voided_at is not null as voided, a.staff_id
				  from bill b left join scheduling_appointment_v a on a.id = b.appointment_id
				 where b.id = :id for update of b
				""")
			.param("id", billId)
			.query((rs, n) -> new BillRow(rs.getLong("id"), rs.getLong("branch_id"), rs.getLong("patient_id"),
					(Long) rs.getObject("appointment_id"), Currency.getInstance(rs.getString("currency").trim()),
					rs.getBoolean("issued"), rs.getBoolean("voided"), (Long) rs.getObject("staff_id")))
			.single();
	}

	/**
	 * Prices every line again from its price, quantity and discounts, and refuses a
	 * discount beyond the login's limit.
	 */
	private void reprice(long billId) {
		record Row(long id, BigDecimal unitPrice, int quantity, @Nullable Discount discount) {
		}
		Currency currency = currency();
		List<Row> rows = this.jdbc.sql("""
				select id, unit_price, quantity, discount_kind, discount_value, discount_reason_id from bill_line
				 where bill_id = :bill order by position
				""")
			.param("bill", billId)
			.query((rs, n) -> new Row(rs.getLong("id"), rs.getBigDecimal("unit_price"), rs.getInt("quantity"),
					Discount.of(rs.getString("discount_kind"), rs.getBigDecimal("discount_value"),
							(Long) rs.getObject("discount_reason_id"))))
			.list();
		Discount billDiscount = this.jdbc
			.sql("select discount_kind, discount_value, discount_reason_id from bill where id = :bill")
			.param("bill", billId)
			.query((rs, n) -> Discount.of(rs.getString("discount_kind"), rs.getBigDecimal("discount_value"),
					(Long) rs.getObject("discount_reason_id")))
			.list()
			.get(0);
		List<BillPricing.Priced> priced = BillPricing.price(rows.stream()
			.map(row -> new BillPricing.Line(new Money(row.unitPrice(), currency), row.quantity(), row.discount()))
			.toList(), billDiscount, currency);
		BigDecimal limit = discountLimit();
		for (int i = 0; i < rows.size(); i++) {
			BillPricing.Priced line = priced.get(i);
			if (line.gross().isPositive() && line.discount().isPositive()
					&& line.discount().amount().compareTo(line.gross().percent(limit).amount()) > 0) {
				throw new BillingRefused("billing.refused.discountOverLimit",
						limit.stripTrailingZeros().toPlainString());
			}
			this.jdbc.sql("update bill_line set discount = :discount, amount = :amount where id = :id")
				.param("discount", line.discount().amount())
				.param("amount", line.amount().amount())
				.param("id", rows.get(i).id())
				.update();
		}
	}

	/**
	 * A bill paid from a package is priced by the package: no discount goes on it (the
	 * package is taken off the line first).
	 */
	private void refuseWithPackage(long billId, @Nullable Discount discount) {
		if (discount != null && this.jdbc
			.sql("select count(*) > 0 from bill_line where bill_id = :bill and patient_package_id is not null")
			.param("bill", billId)
			.query(Boolean.class)
			.single()) {
			throw new BillingRefused("billing.refused.packageDiscount");
		}
	}

	/** The largest share off a line the login may give, in per cent. */
	private BigDecimal discountLimit() {
		return this.settings.underAdminLimits() ? this.settings.current().adminDiscountLimit()
				: BigDecimal.valueOf(100);
	}

	private void checkReason(@Nullable Discount discount) {
		if (discount != null && !this.settings.reasonIsActive(discount.reasonId())) {
			throw new BillingRefused("billing.refused.discountReason");
		}
	}

	private static void checkQuantity(int quantity) {
		if (quantity < 1 || quantity > 999) {
			throw new BillingRefused("billing.refused.quantity");
		}
	}

	private void insertLine(long billId, String kind, @Nullable Long serviceId, @Nullable Long productId,
			@Nullable Long staffId, String name, int quantity, Money unitPrice) {
		this.jdbc
			.sql("""
					insert into bill_line (bill_id, position, kind, service_id, package_product_id, staff_id, name, quantity,
					                       unit_price, discount, amount)
					values (:bill, (select coalesce(max(position), 0) + 1 from bill_line where bill_id = :bill), :kind, :service,
					        :product, :staff, :name, :quantity, :price, 0, :amount)
					""")
			.param("bill", billId)
			.param("kind", kind)
			.param("service", serviceId)
			.param("product", productId)
			.param("staff", staffId)
			.param("name", name)
			.param("quantity", quantity)
			.param("price", unitPrice.amount())
			.param("amount", unitPrice.times(quantity).amount())
			.update();
	}

	private static String describe(@Nullable Discount discount) {
		return discount == null ? "none" : discount.kind() + " " + discount.value() + " reason " + discount.reasonId();
	}

	Currency currency() {
		return this.clinic.current().getCurrency();
	}

	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(Instant.now(this.clock), ZoneOffset.UTC);
	}

	/** A bill's row as a change needs it, locked. */
	record BillRow(long id, long branchId, long patientId, @Nullable Long appointmentId, Currency currency,
			boolean issued, boolean voided, @Nullable Long staffId) {
	}

	private record Visit(long id, long branchId, long patientId, long serviceId, long staffId, String status) {
	}

}
