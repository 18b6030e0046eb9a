package dev.klinika.billing;

import java.math.BigDecimal;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import dev.klinika.shared.Money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The arithmetic of a bill and its rounding rules, written down in {@link BillPricing}.
 */
class BillPricingTests {

	@Test
	void aBillDiscountIsSplitByTheLargestRemainderSoTheSharesAddUp() {
		// 10 % of 100.00 + 100.00 + 100.01 = 30.00 (half up of 30.001); 10.00 each by
		// proportion, the last kopeck nowhere: the shares are 10.00, 10.00, 10.00.
		List<BillPricing.Priced> priced = BillPricing.price(
				List.of(line("100.00", 1), line("100.00", 1), line("100.01", 1)),
				new Discount(Discount.Kind.PERCENT, new BigDecimal("10"), 1), Money.RUB);
		assertThat(priced).extracting(p -> p.discount().amount().toPlainString())
			.containsExactly("10.00", "10.00", "10.00");
		assertThat(priced).extracting(p -> p.amount().amount().toPlainString())
			.containsExactly("90.00", "90.00", "90.01");
		// 100 roubles off three lines of 1 rouble... and 0.01: the cents go to the
		// largest
		// remainders, earlier line first on a tie.
		List<Money> shares = BillPricing.split(Money.rub("1.00"),
				List.of(Money.rub("1.00"), Money.rub("1.00"), Money.rub("1.00")));
		assertThat(shares).extracting(m -> m.amount().toPlainString()).containsExactly("0.34", "0.33", "0.33");
	}

	@Test
	void aLineDiscountAndABillDiscountStackAndNeverGoBelowZero() {
		List<BillPricing.Priced> priced = BillPricing.price(
				List.of(new BillPricing.Line(Money.rub("1500"), 2,
						new Discount(Discount.Kind.AMOUNT, new BigDecimal("5000"), 1)), line("999.99", 1)),
				new Discount(Discount.Kind.AMOUNT, new BigDecimal("5000"), 1), Money.RUB);
		assertThat(priced.get(0).amount()).isEqualTo(Money.rub("0"));
		assertThat(priced.get(0).discount()).isEqualTo(Money.rub("3000"));
		assertThat(priced.get(1).amount()).isEqualTo(Money.rub("0"));
		assertThat(priced.get(1).discount()).isEqualTo(Money.rub("999.99"));
	}

	@Test
	void aPercentageIsRoundedHalfUpToTheKopeck() {
		assertThat(Money.rub("0.05").percent(BigDecimal.TEN)).isEqualTo(Money.rub("0.01"));
		assertThat(Money.rub("0.04").percent(BigDecimal.TEN)).isEqualTo(Money.rub("0.00"));
		assertThat(Money.rub("1234.56").percent(new BigDecimal("12.5"))).isEqualTo(Money.rub("154.32"));
	}

	@Test
	void aDiscountAbove100PerCentOrNotPositiveIsRefused() {
		assertThatExceptionOfType(BillingRefused.class)
			.isThrownBy(() -> new Discount(Discount.Kind.PERCENT, new BigDecimal("100.01"), 1))
			.satisfies(refused -> assertThat(refused.key()).isEqualTo("billing.refused.discountOver100"));
		assertThatExceptionOfType(BillingRefused.class)
			.isThrownBy(() -> new Discount(Discount.Kind.AMOUNT, BigDecimal.ZERO, 1))
			.satisfies(refused -> assertThat(refused.key()).isEqualTo("billing.refused.discountNotPositive"));
	}

	@Property(tries = 300)
	void sharesAlwaysAddUpToTheDiscountAndStayWithinTheirLines(
			@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 5_000_000) Integer> kopecks,
			@ForAll @IntRange(min = 0, max = 10000) int percentHundredths) {
		List<BillPricing.Line> lines = kopecks.stream()
			.map(k -> new BillPricing.Line(new Money(BigDecimal.valueOf(k, 2), Money.RUB), 1, null))
			.toList();
		List<BillPricing.Priced> priced = BillPricing.price(lines, percentHundredths == 0 ? null
				: new Discount(Discount.Kind.PERCENT, BigDecimal.valueOf(percentHundredths, 2), 1), Money.RUB);
		Money gross = lines.stream().map(BillPricing.Line::gross).reduce(Money.zero(Money.RUB), Money::plus);
		Money expected = percentHundredths == 0 ? Money.zero(Money.RUB)
				: gross.percent(BigDecimal.valueOf(percentHundredths, 2));
		Money given = priced.stream().map(BillPricing.Priced::discount).reduce(Money.zero(Money.RUB), Money::plus);
		assertThat(given).isEqualTo(expected);
		assertThat(priced).allSatisfy(p -> {
			assertThat(p.amount().isNegative()).isFalse();
			assertThat(p.amount().plus(p.discount())).isEqualTo(p.gross());
		});
	}

	private static BillPricing.Line line(String price, int quantity) {
		return new BillPricing.Line(Money.rub(price), quantity, null);
	}

}
