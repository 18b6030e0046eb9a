package dev.klinika.billing;

import org.jspecify.annotations.Nullable;

import dev.klinika.shared.Money;

/**
 * A payment provider with a hosted payment page (YooKassa, or the demo's sandbox): a
 * payment is created under Klinika's key (the same key sent again is the same payment),
 * the patient pays on the provider's page, a two-stage payment waits to be captured or
 * cancelled, and money goes back by a refund. Klinika trusts only what the provider
 * answers to its own request, never the body of a notification.
 */
interface PaymentProvider {

	/** The provider's name as settings and payments keep it. */
	String name();

	/**
	 * Creates a payment; with {@code capture} false the money is only authorized, to be
	 * captured or cancelled later.
	 */
	Payment create(String key, Money amount, String description, String returnUrl, boolean capture) throws Unreachable;

	/** The payment as the provider knows it now. */
	Payment find(String id) throws Unreachable;

	/** Takes the authorized money. */
	Payment capture(String id, Money amount, String key) throws Unreachable;

	/** Lets the authorized money go back to the payer. */
	Payment cancel(String id, String key) throws Unreachable;

	/** Gives money of a taken payment back. */
	Refund refund(String paymentId, Money amount, String key) throws Unreachable;

	/** A provider's payment, in its own states. */
	record Payment(String id, Status status, Money amount, @Nullable String confirmationUrl) {
	}

	/** YooKassa's payment states, which the sandbox shares. */
	enum Status {

		PENDING, WAITING_FOR_CAPTURE, SUCCEEDED, CANCELED;

		static Status of(String status) {
			return switch (status) {
				case "pending" -> PENDING;
				case "waiting_for_capture" -> WAITING_FOR_CAPTURE;
				case "succeeded" -> SUCCEEDED;
				case "canceled" -> CANCELED;
				default -> throw new IllegalArgumentException("payment status " + status);
			};
		}

	}

	/** A refund: {@code succeeded}, {@code pending} or {@code canceled}. */
	record Refund(String id, String status) {
	}

	/**
	 * The provider did not answer, or answered that it cannot now (a 5xx, a 429): try
	 * again later.
	 */
	class Unreachable extends Exception {

		private static final long serialVersionUID = 1L;

		Unreachable(String message) {
			super(message);
		}

	}

	/**
	 * The provider refused the request (a 4xx with its error): trying again will not
	 * help.
	 */
	class Refused extends Unreachable {

		private static final long serialVersionUID = 1L;

		Refused(String message) {
			super(message);
		}

	}

}
