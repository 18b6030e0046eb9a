package dev.klinika.care;

import java.io.Serial;

/**
 * A care step refused for a reason the doctor can read: the message key (under
 * {@code care.refused.}) and its arguments. Nothing was written.
 */
class CareRefused extends dev.klinika.shared.Refusal {

	@Serial
	private static final long serialVersionUID = 1L;

	CareRefused(String key, Object... args) {
		super(key, args);
	}

}
