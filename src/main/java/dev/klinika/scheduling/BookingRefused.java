package dev.klinika.scheduling;

import java.io.Serial;

/**
 * A booking that breaks a rule; {@link #reason()} is a message key suffix:
 * booking.refused.&lt;reason&gt;.
 */
class BookingRefused extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String reason;

	public BookingRefused(String reason) {
		super(reason);
		this.reason = reason;
	}

	public String reason() {
		return this.reason;
	}

}
