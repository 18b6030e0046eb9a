package dev.klinika.messaging;

/**
 * Where a message is: waiting ({@code PENDING}, also between retries), being sent,
 * accepted by the provider ({@code SENT}), receipted ({@code DELIVERED} or
 * {@code UNDELIVERED}), given up for a human ({@code FAILED}), not sent on purpose
 * ({@code SKIPPED}, with the reason), or taken back because its cause changed
 * ({@code WITHDRAWN}).
 */
public enum MessageStatus {

	PENDING, SENDING, SENT, DELIVERED, UNDELIVERED, FAILED, SKIPPED, WITHDRAWN

}
