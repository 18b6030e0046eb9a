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

	/** What money comes into a deposit by. */
	static final Set<PaymentMethod> INTO_DEPOSIT = EnumSet.of(CASH, CARD, TRANSFER);

}
