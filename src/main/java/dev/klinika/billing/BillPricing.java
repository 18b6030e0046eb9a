package dev.klinika.billing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.klinika.shared.Money;

/**
 * The arithmetic of a bill, pure: each line's price times quantity, less its own
 * discount, less its share of the bill's discount. Rounding rules, the only ones in
 * billing:
 * <ul>
 * <li>a percentage is taken of the amount it applies to and rounded half up to the
 * kopeck;</li>
 * <li>the bill's discount is one sum, split over the lines in proportion to what each
 * still costs, in whole kopecks by the largest remainder (ties to the earlier line), so
 * the shares add up to the sum exactly;</li>
 * <li>no discount takes a line below zero.</li>
 * </ul>
 */
final class BillPricing {

	private BillPricing() {
	}

	/** A line as priced: its unit price, quantity and own discount. */
	record Line(Money unitPrice, int quantity, @Nullable Discount discount) {

		Money gross() {
			return this.unitPrice.times(this.quantity);
		}

	}

	/** A line's discount in money (own and its share of the bill's) and what is due. */
	record Priced(Money gross, Money discount, Money amount) {
	}

	static List<Priced> price(List<Line> lines, @Nullable Discount billDiscount, java.util.Currency currency) {
		List<Money> afterOwn = new ArrayList<>();
		List<Money> own = new ArrayList<>();
		Money subtotal = Money.zero(currency);
		for (Line line : lines) {
			Money off = line.discount() == null ? Money.zero(currency) : line.discount().of(line.gross());
			own.add(off);
			afterOwn.add(line.gross().minus(off));
			subtotal = subtotal.plus(line.gross().minus(off));
		}
		List<Money> shares = billDiscount == null ? afterOwn.stream().map(m -> Money.zero(currency)).toList()
				: split(billDiscount.of(subtotal), afterOwn);
		List<Priced> priced = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			Money discount = own.get(i).plus(shares.get(i));
			priced.add(new Priced(lines.get(i).gross(), discount, lines.get(i).gross().minus(discount)));
		}
		return priced;
	}

	/**
	 * Splits {@code total} over the {@code weights} in proportion, in whole kopecks by
	 * the largest remainder; a share never exceeds its weight.
	 */
	static List<Money> split(Money total, List<Money> weights) {
		java.util.Currency currency = total.currency();
		long totalKopecks = kopecks(total);
		long weightKopecks = weights.stream().mapToLong(BillPricing::kopecks).sum();
		if (weightKopecks == 0 || totalKopecks == 0) {
			return weights.stream().map(w -> Money.zero(currency)).toList();
		}
		long[] shares = new long[weights.size()];
		BigDecimal[] remainders = new BigDecimal[weights.size()];
		long given = 0;
		for (int i = 0; i < weights.size(); i++) {
			BigDecimal exact = BigDecimal.valueOf(totalKopecks)
				.multiply(BigDecimal.valueOf(kopecks(weights.get(i))))
				.divide(BigDecimal.valueOf(weightKopecks), 10, java.math.RoundingMode.DOWN);
			shares[i] = exact.longValue();
			remainders[i] = exact.subtract(BigDecimal.valueOf(shares[i]));
			given += shares[i];
		}
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < weights.size(); i++) {
			order.add(i);
		}
		order.sort(Comparator.comparing((Integer i) -> remainders[i]).reversed().thenComparing(i -> i));
		for (int k = 0; given < totalKopecks && k < order.size(); k++) {
			int i = order.get(k);
			if (shares[i] < kopecks(weights.get(i))) {
				shares[i]++;
				given++;
			}
		}
		List<Money> result = new ArrayList<>();
		for (long share : shares) {
			result.add(new Money(BigDecimal.valueOf(share, 2), currency));
		}
		return result;
	}

	private static long kopecks(Money money) {
		return money.amount().movePointRight(2).longValueExact();
	}

}
