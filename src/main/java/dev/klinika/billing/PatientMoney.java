package dev.klinika.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.shared.Money;

/**
 * A patient's money as sums of the ledger: the deposit, the debt of bills not paid in
 * full, the balance between them, and the bills and payments behind the figures.
 */
@Component
class PatientMoney {

	private final JdbcClient jdbc;

	private final Payments payments;

	PatientMoney(JdbcClient jdbc, Payments payments) {
		this.jdbc = jdbc;
		this.payments = payments;
	}

	/** The figures: deposit, debt, and the balance (positive is an advance). */
	public record Summary(Money deposit, Money debt) {

		public Money balance() {
			return this.deposit.minus(this.debt);
		}

	}

	/** One bill in the patient's list. */
	public record BillRow(long id, long branchId, @Nullable Long appointmentId, Instant createdAt, Money total,
			Money paid, Money refunded, BillStatus status) {
	}

	/**
	 * One movement of money: a payment, a refund, an advance (a package's sale and expiry
	 * move money inside the clinic's books and are on the package's page).
	 */
	public record Movement(long id, String code, PaymentMethod method, @Nullable Long billId, Money amount,
			String createdBy, Instant at) {
	}

	@Transactional(readOnly = true)
	public Summary summary(long patientId, Currency currency) {
		Money debt = bills(patientId, currency).stream()
			.filter(bill -> bill.status().owing())
			.map(bill -> bill.total().minus(bill.paid()))
			.filter(Money::isPositive)
			.reduce(Money.zero(currency), Money::plus);
		return new Summary(this.payments.deposit(patientId, currency), debt);
	}

	@Transactional(readOnly = true)
	public List<BillRow> bills(long patientId, Currency currency) {
		return this.jdbc.sql("""
				select id, branch_id, appointment_id, created_at, voided_at is not null as voided, total, paid, refunded
				  from billing_bill_v where patient_id = :patient order by created_at desc, id desc
				""").param("patient", patientId).query((rs, n) -> {
			Money total = money(rs.getBigDecimal("total"), currency);
			Money paid = money(rs.getBigDecimal("paid"), currency);
			Money refunded = money(rs.getBigDecimal("refunded"), currency);
			return new BillRow(rs.getLong("id"), rs.getLong("branch_id"), (Long) rs.getObject("appointment_id"),
					rs.getObject("created_at", OffsetDateTime.class).toInstant(), total, paid, refunded,
					BillStatus.of(rs.getBoolean("voided"), total, paid, refunded));
		}).list();
	}

	@Transactional(readOnly = true)
	public List<Movement> movements(long patientId, Currency currency) {
		return this.jdbc
			.sql("""
					select id, code, method, bill_id, amount, created_by, created_at from ledger_transfer
					 where patient_id = :patient and code not in ('PACKAGE_SOLD', 'PACKAGE_EXPIRED') order by id desc limit 200
					""")
			.param("patient", patientId)
			.query((rs, n) -> new Movement(rs.getLong("id"), rs.getString("code"),
					PaymentMethod.valueOf(rs.getString("method")), (Long) rs.getObject("bill_id"),
					money(rs.getBigDecimal("amount"), currency), rs.getString("created_by"),
					rs.getObject("created_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	private static Money money(BigDecimal amount, Currency currency) {
		return new Money(amount, currency);
	}

}
