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

	/** Money went back for a line of a bill, by a method or onto the deposit. */
	public record PaymentRefunded(UUID batch, long bill, long line, long patient, long branch, Money amount,
			PaymentMethod to, String reason, Instant at) {
	}

}
