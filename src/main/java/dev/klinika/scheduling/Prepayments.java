package dev.klinika.scheduling;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

import dev.klinika.shared.Money;

/**
 * Prepayment of online bookings, as the money module offers it to the schedule: which
 * services a patient pays a deposit for when booking online, the start of a payment for a
 * held time, and which visits on the grid were paid ahead. The schedule knows nothing of
 * providers or ledgers; the money module books the held time through
 * {@link PrepaidBooking} once the payment is authorized.
 */
public interface Prepayments {

	/**
	 * The deposit a patient pays online to book this service at this branch on this day
	 * (the branch's calendar day: the price is the day's), if any.
	 */
	Optional<Money> required(long branchId, long serviceId, LocalDate day);

	/**
	 * Starts the payment of a held time; the same hold asked again answers the same
	 * payment.
	 */
	Started start(Order order);

	/** The packages a patient may buy online now: none while no provider is on. */
	java.util.List<OnlinePackage> packagesForSale();

	/** A package as the online shop shows it. */
	record OnlinePackage(long id, String name, Money price, @org.jspecify.annotations.Nullable String covers,
			@org.jspecify.annotations.Nullable Integer visits, int validityDays, boolean shareable) {
	}

	/**
	 * Starts the payment of a package bought online; the same form's token answers the
	 * same payment.
	 */
	Started startPackage(PackageOrder order);

	/** A package to pay for: the form's token, the buyer, where and what. */
	record PackageOrder(String token, long patientId, long branchId, long productId, String returnUrl) {
	}

	/** Which of these visits were paid ahead online. */
	Set<Long> prepaid(Collection<Long> appointments);

	/**
	 * What a visit's patient paid ahead, and until when a cancellation gives it back to
	 * the card.
	 */
	Optional<Paid> paid(long appointmentId);

	/** A prepayment taken, and the last moment a cancellation refunds it to the card. */
	record Paid(Money amount, Instant refundableUntil, boolean refundableNow) {
	}

	/**
	 * A held time to pay for: whose, what and when, the hold's end, and where the
	 * provider sends the patient back (Klinika's own page or the clinic website's).
	 */
	record Order(String holdToken, long patientId, long branchId, long serviceId, long staffId, Instant start,
			LocalDate day, Instant holdUntil, String returnUrl, String description) {

		/**
		 * What the payment page says it is for: the service and the visit's time on the
		 * branch's clock, in Russian as the clinic's receipts.
		 */
		static String describe(String service, Instant start, java.time.ZoneId zone) {
			return "Предоплата: " + service + ", "
					+ java.time.format.DateTimeFormatter
						.ofPattern("d MMMM HH:mm", java.util.Locale.forLanguageTag("ru"))
						.format(start.atZone(zone));
		}

	}

	/** The payment made: its key, the amount, and the provider's page to pay on. */
	record Started(String key, Money amount, String confirmationUrl) {
	}

	/** Refused: the provider could not be reached, or it refused the payment. */
	class Unavailable extends RuntimeException {

		private static final long serialVersionUID = 1L;

		public Unavailable(String message) {
			super(message);
		}

	}

}
