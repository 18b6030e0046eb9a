package dev.klinika.billing;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An online cash register that registers receipts (54-FZ): a receipt is sent, accepted
 * under the register's id, and registered later with its fiscal attributes.
 */
interface FiscalRegister {

	/**
	 * Sends a receipt under Klinika's own id (the same id sent again is the same
	 * receipt).
	 * @param operation {@code sell} or {@code sell_refund}
	 */
	Answer send(String operation, String externalId, Map<String, Object> receipt) throws Unreachable;

	/** What became of an accepted receipt. */
	Answer report(String uuid) throws Unreachable;

	/**
	 * The register's answer: accepted and waiting, registered (with its fiscal
	 * attributes), or refused (with the register's words).
	 */
	record Answer(State state, @Nullable String uuid, @Nullable Map<String, Object> fiscal, @Nullable String error) {

		enum State {

			WAITING, DONE, REFUSED

		}

	}

	/** The register did not answer, or answered that it cannot now: try again later. */
	class Unreachable extends Exception {

		private static final long serialVersionUID = 1L;

		Unreachable(String message) {
			super(message);
		}

	}

}
