package dev.klinika.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Currency;
import java.util.Locale;

/**
 * An amount of money in a currency, kept to the kopeck as {@code numeric(14,2)} in the
 * database.
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {

	/** The largest amount that fits {@code numeric(14,2)}. */
	public static final BigDecimal MAX = new BigDecimal("999999999999.99");

	public static final Currency RUB = Currency.getInstance("RUB");

	public Money {
		if (amount == null || currency == null) {
			throw new IllegalArgumentException("Money needs an amount and a currency");
		}
		if (amount.scale() > 2 && amount.stripTrailingZeros().scale() > 2) {
			throw new IllegalArgumentException("Money has at most two decimal places: " + amount);
		}
		amount = amount.setScale(2, RoundingMode.UNNECESSARY);
		if (amount.abs().compareTo(MAX) > 0) {
			throw new IllegalArgumentException("Amount too large: " + amount);
		}
	}

	public static Money rub(String amount) {
		return new Money(new BigDecimal(amount), RUB);
	}

	public static Money of(BigDecimal amount, Currency currency) {
		return new Money(amount, currency);
	}

	public static Money zero(Currency currency) {
		return new Money(BigDecimal.ZERO, currency);
	}

	public boolean isNegative() {
		return this.amount.signum() < 0;
	}

	public boolean isZero() {
		return this.amount.signum() == 0;
	}

	public boolean isPositive() {
		return this.amount.signum() > 0;
	}

	public Money plus(Money other) {
		return new Money(this.amount.add(same(other).amount), this.currency);
	}

	public Money minus(Money other) {
		return new Money(this.amount.subtract(same(other).amount), this.currency);
	}

	/** The amount of {@code quantity} units at this price. */
	public Money times(long quantity) {
		return new Money(this.amount.multiply(BigDecimal.valueOf(quantity)), this.currency);
	}

	/**
	 * {@code percent} per cent of this amount, rounded half up to the kopeck (10 % of
	 * 0.05 is 0.01): the one rounding rule of discounts and shares.
	 */
	public Money percent(BigDecimal percent) {
		return new Money(
				this.amount.multiply(percent).divide(BigDecimal.valueOf(100), 2, java.math.RoundingMode.HALF_UP),
				this.currency);
	}

	public Money min(Money other) {
		return compareTo(same(other)) <= 0 ? this : other;
	}

	public Money max(Money other) {
		return compareTo(same(other)) >= 0 ? this : other;
	}

	private Money same(Money other) {
		if (!this.currency.equals(other.currency)) {
			throw new IllegalArgumentException("Different currencies: " + this.currency + " and " + other.currency);
		}
		return other;
	}

	/**
	 * "1 500 ₽", "1 500,50 ₽": grouped by thin spaces, kopecks only when there are any.
	 */
	public String display(Locale locale) {
		DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(locale);
		symbols.setGroupingSeparator('\u00a0');
		DecimalFormat format = new DecimalFormat(this.amount.stripTrailingZeros().scale() > 0 ? "#,##0.00" : "#,##0",
				symbols);
		return format.format(this.amount) + "\u00a0" + symbol();
	}

	private String symbol() {
		return "RUB".equals(this.currency.getCurrencyCode()) ? "₽" : this.currency.getSymbol(Locale.ROOT);
	}

	@Override
	public int compareTo(Money other) {
		return this.amount.compareTo(other.amount);
	}

}
