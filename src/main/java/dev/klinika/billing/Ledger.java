package dev.klinika.billing;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.shared.Money;

/**
 * The money ledger: accounts, and transfers that are only ever added (the table refuses
 * changes). A batch of transfers commits together or not at all; an account marked never
 * negative is locked by whoever spends from it, and checked again by the database when
 * the transaction commits.
 */
@Component
class Ledger {

	private final JdbcClient jdbc;

	private final java.time.Clock clock;

	Ledger(JdbcClient jdbc, java.time.Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** One transfer of a batch. */
	record Transfer(long debit, long credit, Money amount, String code, PaymentMethod method, @Nullable Long billId,
			@Nullable Long lineId, long patientId, long branchId, @Nullable String reason) {
	}

	@Transactional(propagation = Propagation.MANDATORY)
	long billAccount(long billId, Currency currency) {
		return account(new AccountKey("BILL", billId, null, null, null, null, currency), true);
	}

	@Transactional(propagation = Propagation.MANDATORY)
	long depositAccount(long patientId, Currency currency) {
		return account(new AccountKey("DEPOSIT", null, patientId, null, null, null, currency), true);
	}

	@Transactional(propagation = Propagation.MANDATORY)
	long packageAccount(long packageId, Currency currency) {
		return account(new AccountKey("PACKAGE", null, null, null, null, packageId, currency), true);
	}

	@Transactional(propagation = Propagation.MANDATORY)
	long tillAccount(long branchId, PaymentMethod method, Currency currency) {
		return account(new AccountKey("TILL", null, null, branchId, method.name(), null, currency), false);
	}

	private long account(AccountKey key, boolean neverNegative) {
		Optional<Long> found = find(key);
		if (found.isPresent()) {
			return found.get();
		}
		// Two first payments at once: one inserts, the other finds its row.
		this.jdbc
			.sql("""
					insert into ledger_account (kind, bill_id, patient_id, branch_id, method, package_id, currency, never_negative)
					values (:kind, :bill, :patient, :branch, :method, :package, :currency, :never) on conflict do nothing
					""")
			.params(key.params())
			.param("never", neverNegative)
			.update();
		return find(key).orElseThrow();
	}

	private Optional<Long> find(AccountKey key) {
		return this.jdbc
			.sql("""
					select id from ledger_account where kind = :kind
					   and (:bill::bigint is null or bill_id = :bill) and (:patient::bigint is null or patient_id = :patient)
					   and (:branch::bigint is null or branch_id = :branch) and (:method::text is null or method = :method)
					   and (:package::bigint is null or package_id = :package) and currency = :currency
					""")
			.params(key.params())
			.query(Long.class)
			.optional();
	}

	/** What names an account: its kind and whose it is (the others null). */
	private record AccountKey(String kind, @Nullable Long bill, @Nullable Long patient, @Nullable Long branch,
			@Nullable String method, @Nullable Long pkg, Currency currency) {

		java.util.Map<String, @Nullable Object> params() {
			java.util.Map<String, @Nullable Object> params = new java.util.HashMap<>();
			params.put("kind", this.kind);
			params.put("bill", this.bill);
			params.put("patient", this.patient);
			params.put("branch", this.branch);
			params.put("method", this.method);
			params.put("package", this.pkg);
			params.put("currency", this.currency.getCurrencyCode());
			return params;
		}

	}

	/**
	 * What a patient's advances left after the bills they paid; zero before the first
	 * advance (no account is made to say so).
	 */
	Money depositBalance(long patientId, Currency currency) {
		return find(new AccountKey("DEPOSIT", null, patientId, null, null, null, currency))
			.map(id -> balance(id, currency))
			.orElse(Money.zero(currency));
	}

	/** Holds the account until the transaction ends: spends from it wait their turn. */
	@Transactional(propagation = Propagation.MANDATORY)
	void lock(long accountId) {
		this.jdbc.sql("select id from ledger_account where id = :id for update")
			.param("id", accountId)
			.query()
			.rowSet();
	}

	/** Credits minus debits. */
	Money balance(long accountId, Currency currency) {
		BigDecimal sum = this.jdbc
			.sql("""
					select coalesce(sum(case when credit_account_id = :id then amount else -amount end), 0) from ledger_transfer
					 where credit_account_id = :id or debit_account_id = :id
					""")
			.param("id", accountId)
			.query(BigDecimal.class)
			.single();
		return new Money(sum, currency);
	}

	/** The batch a retried request already made, if it came with a key that is known. */
	Optional<UUID> batchOf(@Nullable String idempotencyKey, long patientId) {
		if (idempotencyKey == null) {
			return Optional.empty();
		}
		return this.jdbc.sql("""
				select batch_id from ledger_transfer where idempotency_key = :key and patient_id = :patient limit 1
				""").param("key", idempotencyKey).param("patient", patientId).query(UUID.class).optional();
	}

	/**
	 * The branch's open shift, held until the transaction ends: a close waits for the
	 * payments being made, and a payment after the close finds no shift.
	 */
	private Optional<Long> openShift(long branchId) {
		return this.jdbc.sql("select id from cash_shift where branch_id = :branch and closed_at is null for share")
			.param("branch", branchId)
			.query(Long.class)
			.optional();
	}

	/** Adds the transfers as one batch, or none of them. */
	@Transactional(propagation = Propagation.MANDATORY)
	UUID post(List<Transfer> transfers, @Nullable String idempotencyKey, String actor) {
		UUID batch = UUID.randomUUID();
		java.util.Map<Long, Optional<Long>> shifts = new java.util.HashMap<>();
		for (Transfer transfer : transfers) {
			if (!transfer.amount().isPositive()) {
				throw new IllegalArgumentException("A transfer moves a positive amount: " + transfer);
			}
			Long shift = null;
			// Money handed over goes into the branch's open shift; cash cannot move
			// without
			// one, since its drawer is counted.
			if (PaymentMethod.INTO_DEPOSIT.contains(transfer.method())) {
				shift = shifts.computeIfAbsent(transfer.branchId(), this::openShift).orElse(null);
				if (shift == null && transfer.method() == PaymentMethod.CASH) {
					throw new BillingRefused("billing.refused.noShift");
				}
			}
			this.jdbc
				.sql("""
						insert into ledger_transfer (batch_id, debit_account_id, credit_account_id, amount, code, method, bill_id,
						                             bill_line_id, patient_id, branch_id, reason, idempotency_key, created_by, created_at,
						                             cash_shift_id, package_id)
						values (:batch, :debit, :credit, :amount, :code, :method, :bill, :line, :patient, :branch, :reason, :key,
						        :actor, :at, :shift, (select a.package_id from ledger_account a
						                               where a.id in (:debit, :credit) and a.kind = 'PACKAGE' limit 1))
						""")
				.param("batch", batch)
				.param("debit", transfer.debit())
				.param("credit", transfer.credit())
				.param("amount", transfer.amount().amount())
				.param("code", transfer.code())
				.param("method", transfer.method().name())
				.param("bill", transfer.billId())
				.param("line", transfer.lineId())
				.param("patient", transfer.patientId())
				.param("branch", transfer.branchId())
				.param("reason", transfer.reason())
				.param("key", idempotencyKey)
				.param("actor", actor)
				.param("at", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
				.param("shift", shift)
				.update();
		}
		return batch;
	}

}
