package dev.klinika.billing;

import dev.klinika.shared.Money;

/**
 * Where a bill stands, read from its ledger, never stored: open until money comes, then
 * paid in part or in full, then refunded in part or in full; void when cancelled unpaid.
 */
enum BillStatus {

	OPEN, PARTLY_PAID, PAID, PARTLY_REFUNDED, REFUNDED, VOID;

	static BillStatus of(boolean voided, Money total, Money paid, Money refunded) {
		if (voided) {
			return VOID;
		}
		if (refunded.isPositive()) {
			return refunded.compareTo(paid) >= 0 ? REFUNDED : PARTLY_REFUNDED;
		}
		if (!paid.isPositive()) {
			return OPEN;
		}
		return paid.compareTo(total) >= 0 ? PAID : PARTLY_PAID;
	}

	/** Whether the patient still owes on it. */
	boolean owing() {
		return this == OPEN || this == PARTLY_PAID;
	}

}
