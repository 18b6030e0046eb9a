package dev.klinika.messaging;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One channel's way out: hands a message to its provider and says what the provider
 * called it, or why it refused.
 */
interface Sender {

	ChannelKind channel();

	/** Whether this clinic configured the channel's provider. */
	default boolean ready() {
		return true;
	}

	/**
	 * Hands the message over; returns the provider's ids (one per part); throws when the
	 * provider refused or could not be reached.
	 */
	Accepted send(Outgoing message) throws SendFailure;

	/** A message as a sender sees it. */
	record Outgoing(long id, String recipient, @Nullable String subject, String body) {
	}

	/** What the provider accepted: its id of every part. */
	record Accepted(List<String> providerIds) {

		public Accepted {
			providerIds = List.copyOf(providerIds);
		}

	}

}
