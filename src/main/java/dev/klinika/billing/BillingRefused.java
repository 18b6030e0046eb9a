package dev.klinika.billing;

import java.io.Serial;

/**
 * A billing step refused for a reason the desk can read: the message key (under
 * {@code billing.refused.}) and its arguments, amounts as
 * {@link dev.klinika.shared.Money} for the screen to write in the reader's language.
 * Nothing was written.
 */
class BillingRefused extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final transient Object[] args;

	BillingRefused(String key, Object... args) {
		super(key);
		this.args = args;
	}

	public String key() {
		return getMessage();
	}

	public Object[] args() {
		return this.args.clone();
	}

}
