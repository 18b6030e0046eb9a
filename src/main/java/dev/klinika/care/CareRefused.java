package dev.klinika.care;

import java.io.Serial;

/**
 * A care step refused for a reason the doctor can read: the message key (under
 * {@code care.refused.}) and its arguments. Nothing was written.
 */
class CareRefused extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final transient Object[] args;

	CareRefused(String key, Object... args) {
		super(key);
		this.args = args;
	}

	String key() {
		return getMessage();
	}

	Object[] args() {
		return this.args.clone();
	}

}
