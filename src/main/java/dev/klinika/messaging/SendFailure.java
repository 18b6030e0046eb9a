package dev.klinika.messaging;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A provider's refusal or silence. {@code permanent} failures (a number the provider
 * rejects, a chat that blocked the bot) are not retried on the same channel; the others
 * are, with backoff, or after {@code retryAfter} when the provider said when.
 */
class SendFailure extends Exception {

	private final boolean permanent;

	private final @Nullable Duration retryAfter;

	public SendFailure(String reason, boolean permanent) {
		this(reason, permanent, null);
	}

	public SendFailure(String reason, boolean permanent, @Nullable Duration retryAfter) {
		super(reason.length() > 450 ? reason.substring(0, 450) : reason);
		this.permanent = permanent;
		this.retryAfter = retryAfter;
	}

	public boolean permanent() {
		return this.permanent;
	}

	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

}
