package dev.klinika.billing;

import java.math.BigDecimal;
import java.util.Currency;

import org.jspecify.annotations.Nullable;

import dev.klinika.shared.Money;

/**
 * Amounts as people type them at the desk: "1500", "1 500,50", "1500.5". Anything else,
 * more than two decimals or more than {@code numeric(14,2)} holds, is refused with the
 * field's name.
 */
final class Amounts {

	private Amounts() {
	}

	/** The amount typed, or zero for an empty field. */
	static Money parse(@Nullable String typed, Currency currency) {
		if (typed == null || typed.isBlank()) {
			return Money.zero(currency);
		}
		String plain = typed.strip().replaceAll("[\\s\\u00a0\\u202f]", "").replace(',', '.');
		if (plain.length() > 20 || !plain.matches("-?\\d+(\\.\\d{1,2})?")) {
			throw new BillingRefused("billing.refused.amountFormat");
		}
		BigDecimal amount = new BigDecimal(plain);
		if (amount.abs().compareTo(Money.MAX) > 0) {
			throw new BillingRefused("billing.refused.amountTooLarge");
		}
		if (amount.signum() < 0) {
			throw new BillingRefused("billing.refused.amountNegative");
		}
		return new Money(amount, currency);
	}

	/** A per cent or an amount of a discount, as typed. */
	static BigDecimal number(@Nullable String typed) {
		return parse(typed, Money.RUB).amount();
	}

	static int quantity(@Nullable String typed) {
		if (typed == null || !typed.strip().matches("\\d{1,3}")) {
			throw new BillingRefused("billing.refused.quantity");
		}
		return Integer.parseInt(typed.strip());
	}

}
