package dev.klinika.billing;

import java.util.EnumSet;
import java.util.Set;

/**
 * How money reached a bill: over the desk, online, from the patient's own advance, and
 * the seams for packages and bonus points.
 */
public enum PaymentMethod {

	CASH, CARD, TRANSFER, ONLINE, DEPOSIT, PACKAGE, POINTS;

	/** What the desk takes by hand at checkout. */
	static final Set<PaymentMethod> AT_THE_DESK = EnumSet.of(CASH, CARD, TRANSFER, DEPOSIT);

	/**
	 * Money handed over at the desk: what comes into a deposit and goes back out of it,
	 * and what belongs to the drawer's open shift.
	 */
	static final Set<PaymentMethod> INTO_DEPOSIT = EnumSet.of(CASH, CARD, TRANSFER);

	/**
	 * Money that passed the desk, the takings of a shift or a day; the rest spend what
	 * was paid before (the deposit, a package, points).
	 */
	static final Set<PaymentMethod> MONEY = EnumSet.of(CASH, CARD, TRANSFER, ONLINE);

	/** The method a form named among those money is handed over by, else refused. */
	static PaymentMethod handedOver(String name) {
		return INTO_DEPOSIT.stream()
			.filter(m -> m.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new BillingRefused("billing.refused.method"));
	}

}
