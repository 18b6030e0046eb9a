package dev.klinika.billing;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

import dev.klinika.shared.Money;

/**
 * A discount as typed: a share in per cent or an amount, with the reason from the list.
 */
record Discount(Kind kind, BigDecimal value, long reasonId) {

	public enum Kind {

		PERCENT, AMOUNT

	}

	public Discount {
		if (value.signum() <= 0) {
			throw new BillingRefused("billing.refused.discountNotPositive");
		}
		if (kind == Kind.PERCENT && value.compareTo(BigDecimal.valueOf(100)) > 0) {
			throw new BillingRefused("billing.refused.discountOver100");
		}
		if (value.stripTrailingZeros().scale() > 2) {
			throw new BillingRefused("billing.refused.amountFormat");
		}
	}

	/** The money this discount takes off {@code base}: never more than the base. */
	Money of(Money base) {
		Money off = this.kind == Kind.PERCENT ? base.percent(this.value) : new Money(this.value, base.currency());
		return off.min(base);
	}

	static @Nullable Discount of(@Nullable String kind, @Nullable BigDecimal value, @Nullable Long reasonId) {
		if (kind == null || value == null || reasonId == null) {
			return null;
		}
		return new Discount(Kind.valueOf(kind), value, reasonId);
	}

}
