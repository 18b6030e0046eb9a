package dev.klinika.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.shared.Money;

/**
 * A bill as the desk reads it: its lines with their discounts, what was paid and refunded
 * (each line's share of the payments by the lines' order), and its state. Read from the
 * tables in one go; nothing in it is stored as a total.
 */
record BillView(long id, long branchId, long patientId, @Nullable Long appointmentId, Currency currency,
		@Nullable Discount discount, @Nullable String discountReason, Instant createdAt, String createdBy,
		@Nullable Instant issuedAt, @Nullable Instant voidedAt, @Nullable String voidReason, List<Line> lines,
		List<Entry> entries, Money gross, Money total, Money paid, Money refunded, BillStatus status) {

	/** One line: price, quantity, discounts, and the money paid and refunded for it. */
	public record Line(long id, int position, String kind, @Nullable Long serviceId, @Nullable Long staffId,
			String name, int quantity, Money unitPrice, Money gross, @Nullable Discount discount,
			@Nullable String discountReason, Money discountAmount, Money amount, Money paid, Money refunded,
			@Nullable Long packageId, @Nullable Money listPrice) {

		public boolean fromPackage() {
			return this.packageId != null;
		}

		/** What may still be given back for this line. */
		public Money refundable() {
			return this.paid.minus(this.refunded);
		}

	}

	/** One ledger entry of the bill: a payment or a refund. */
	public record Entry(long id, UUID batch, String code, PaymentMethod method, Money amount, @Nullable Long lineId,
			@Nullable String reason, String createdBy, Instant at) {

		public boolean refund() {
			return "REFUND".equals(this.code);
		}

	}

	/** What the patient still owes on it. */
	public Money due() {
		return this.status.owing() ? this.total.minus(this.paid).max(Money.zero(this.currency))
				: Money.zero(this.currency);
	}

	public Money discountTotal() {
		return this.gross.minus(this.total);
	}

	public boolean editable() {
		return this.issuedAt == null && this.voidedAt == null;
	}

	/**
	 * Whether money it took may go back: a bill paid in full or in part (a prepayment of
	 * a visit cancelled), or refunded in part.
	 */
	public boolean refundable() {
		return this.status == BillStatus.PAID || this.status == BillStatus.PARTLY_PAID
				|| this.status == BillStatus.PARTLY_REFUNDED;
	}

	/** Paid less refunded, by the method it came by (a refund by the same method). */
	public Map<PaymentMethod, Money> refundableByMethod() {
		Map<PaymentMethod, Money> left = new EnumMap<>(PaymentMethod.class);
		for (Entry entry : this.entries) {
			Money signed = entry.refund() ? Money.zero(this.currency).minus(entry.amount()) : entry.amount();
			left.merge(entry.method(), signed, Money::plus);
		}
		left.values().removeIf(money -> !money.isPositive());
		return left;
	}

	static Optional<BillView> read(JdbcClient jdbc, long billId) {
		record Head(long id, long branchId, long patientId, @Nullable Long appointmentId, Currency currency,
				@Nullable Discount discount, @Nullable String discountReason, Instant createdAt, String createdBy,
				@Nullable Instant issuedAt, @Nullable Instant voidedAt, @Nullable String voidReason) {
		}
		Optional<Head> head = jdbc.sql("""
				select b.*, r.name as reason_name from bill b left join discount_reason r on r.id = b.discount_reason_id
				 where b.id = :id
				""")
			.param("id", billId)
			.query((rs, n) -> new Head(rs.getLong("id"), rs.getLong("branch_id"), rs.getLong("patient_id"),
					(Long) rs.getObject("appointment_id"), Currency.getInstance(rs.getString("currency").trim()),
					Discount.of(rs.getString("discount_kind"), rs.getBigDecimal("discount_value"),
							(Long) rs.getObject("discount_reason_id")),
					rs.getString("reason_name"), instant(rs.getObject("created_at", OffsetDateTime.class)),
					rs.getString("created_by"), instantOrNull(rs.getObject("issued_at", OffsetDateTime.class)),
					instantOrNull(rs.getObject("voided_at", OffsetDateTime.class)), rs.getString("void_reason")))
			.optional();
		if (head.isEmpty()) {
			return Optional.empty();
		}
		Head h = head.get();
		Currency currency = h.currency();
		List<Entry> entries = jdbc.sql("""
				select id, batch_id, code, method, amount, bill_line_id, reason, created_by, created_at
				  from ledger_transfer where bill_id = :id order by id
				""")
			.param("id", billId)
			.query((rs, n) -> new Entry(rs.getLong("id"), rs.getObject("batch_id", UUID.class), rs.getString("code"),
					PaymentMethod.valueOf(rs.getString("method")), new Money(rs.getBigDecimal("amount"), currency),
					(Long) rs.getObject("bill_line_id"), rs.getString("reason"), rs.getString("created_by"),
					instant(rs.getObject("created_at", OffsetDateTime.class))))
			.list();
		Money zero = Money.zero(currency);
		Money paid = entries.stream().filter(e -> !e.refund()).map(Entry::amount).reduce(zero, Money::plus);
		Money refunded = entries.stream().filter(Entry::refund).map(Entry::amount).reduce(zero, Money::plus);
		record Raw(long id, int position, String kind, @Nullable Long serviceId, @Nullable Long staffId, String name,
				int quantity, BigDecimal unitPrice, @Nullable Discount discount, @Nullable String reason,
				BigDecimal discountAmount, BigDecimal amount, @Nullable Long packageId,
				@Nullable BigDecimal listPrice) {
		}
		List<Raw> raws = jdbc
			.sql("""
					select l.*, r.name as reason_name from bill_line l left join discount_reason r on r.id = l.discount_reason_id
					 where l.bill_id = :id order by l.position
					""")
			.param("id", billId)
			.query((rs, n) -> new Raw(rs.getLong("id"), rs.getInt("position"), rs.getString("kind"),
					(Long) rs.getObject("service_id"), (Long) rs.getObject("staff_id"), rs.getString("name"),
					rs.getInt("quantity"), rs.getBigDecimal("unit_price"),
					Discount.of(rs.getString("discount_kind"), rs.getBigDecimal("discount_value"),
							(Long) rs.getObject("discount_reason_id")),
					rs.getString("reason_name"), rs.getBigDecimal("discount"), rs.getBigDecimal("amount"),
					(Long) rs.getObject("patient_package_id"), rs.getBigDecimal("list_price")))
			.list();
		// A payment that names its line (a package's) pays that line; the others cover
		// the lines in their order, the first line first.
		Map<Long, Money> named = new java.util.HashMap<>();
		entries.stream()
			.filter(e -> !e.refund() && e.lineId() != null)
			.forEach(e -> named.merge(e.lineId(), e.amount(), Money::plus));
		Money left = paid.minus(named.values().stream().reduce(zero, Money::plus));
		List<Line> lines = new ArrayList<>();
		Money gross = zero;
		Money total = zero;
		for (Raw raw : raws) {
			Money amount = new Money(raw.amount(), currency);
			Money own = named.getOrDefault(raw.id(), zero).min(amount);
			Money linePaid = own.plus(amount.minus(own).min(left));
			left = left.minus(linePaid.minus(own));
			Money lineRefunded = entries.stream()
				.filter(e -> e.refund() && e.lineId() != null && e.lineId() == raw.id())
				.map(Entry::amount)
				.reduce(zero, Money::plus);
			Money unit = new Money(raw.unitPrice(), currency);
			lines.add(new Line(raw.id(), raw.position(), raw.kind(), raw.serviceId(), raw.staffId(), raw.name(),
					raw.quantity(), unit, unit.times(raw.quantity()), raw.discount(), raw.reason(),
					new Money(raw.discountAmount(), currency), amount, linePaid, lineRefunded, raw.packageId(),
					raw.listPrice() == null ? null : new Money(raw.listPrice(), currency)));
			gross = gross.plus(unit.times(raw.quantity()));
			total = total.plus(amount);
		}
		BillStatus status = BillStatus.of(h.voidedAt() != null, total, paid, refunded);
		return Optional.of(new BillView(h.id(), h.branchId(), h.patientId(), h.appointmentId(), currency, h.discount(),
				h.discountReason(), h.createdAt(), h.createdBy(), h.issuedAt(), h.voidedAt(), h.voidReason(), lines,
				entries, gross, total, paid, refunded, status));
	}

	private static Instant instant(OffsetDateTime at) {
		return at.toInstant();
	}

	private static @Nullable Instant instantOrNull(@Nullable OffsetDateTime at) {
		return at == null ? null : at.toInstant();
	}

}
