package dev.klinika.billing;

import java.math.BigDecimal;
import java.util.Currency;

import org.jspecify.annotations.Nullable;

import dev.klinika.shared.Money;

/**
 * What people type at the desk. Amounts: "1500", "1 500,50", "1500.5"; anything else,
 * more than two decimals or more than {@code numeric(14,2)} holds, is refused. Names and
 * reasons: cleaned of invisible characters, and refused when empty or too long.
 */
final class Typed {

	private Typed() {
	}

	/**
	 * The text cleaned, or the refusal {@code key} when it is empty or over {@code max}.
	 */
	static String text(@Nullable String typed, int max, String key) {
		String clean = dev.klinika.shared.PlainText.clean(typed);
		if (clean == null || clean.isEmpty() || clean.length() > max) {
			throw new BillingRefused(key);
		}
		return clean;
	}

	/** The amount typed, or zero for an empty field. */
	static Money money(@Nullable String typed, Currency currency) {
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
		return money(typed, Money.RUB).amount();
	}

	/**
	 * A form's retry key, or none when it is missing or longer than the ledger keeps.
	 */
	static @Nullable String key(@Nullable String key) {
		return key == null || key.isBlank() || key.length() > 100 ? null : key;
	}

	static int quantity(@Nullable String typed) {
		if (typed == null || !typed.strip().matches("\\d{1,3}")) {
			throw new BillingRefused("billing.refused.quantity");
		}
		return Integer.parseInt(typed.strip());
	}

}
