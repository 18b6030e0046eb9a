package dev.klinika.billing;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.klinika.shared.Money;

/** What happens to money, for loyalty, payroll, analytics and documents to follow. */
public final class BillingEvents {

	private BillingEvents() {
	}

	/**
	 * Money came in: for a bill (by one or several methods) or, with no bill, onto the
	 * patient's deposit.
	 */
	public record PaymentReceived(UUID batch, @Nullable Long bill, long patient, long branch, Money amount,
			Map<PaymentMethod, Money> parts, Instant at) {
	}

	/**
	 * A package ends soon with units left (visits, or money for an amount package): said
	 * once per package, the clinic's number of days before its end.
	 */
	public record PackageExpiring(long pkg, long patient, long branch, String name, boolean visits,
			java.math.BigDecimal left, Money moneyLeft, Instant expiresAt) {

		/** What is left in words: "3 визита", "3 visits", or the money left. */
		public String leftText(java.util.Locale locale) {
			if (!this.visits) {
				return this.moneyLeft.display(locale);
			}
			int n = this.left.intValue();
			if (!"ru".equals(locale.getLanguage())) {
				return n + (n == 1 ? " visit" : " visits");
			}
			int tens = n % 100;
			int ones = n % 10;
			String word = (tens >= 11 && tens <= 14) ? "визитов"
					: ones == 1 ? "визит" : (ones >= 2 && ones <= 4) ? "визита" : "визитов";
			return n + " " + word;
		}

	}

	/** Money went back for a line of a bill, by a method or onto the deposit. */
	public record PaymentRefunded(UUID batch, long bill, long line, long patient, long branch, Money amount,
			PaymentMethod to, String reason, Instant at) {
	}

}
