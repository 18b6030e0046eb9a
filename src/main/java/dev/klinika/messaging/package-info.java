/**
 * Messaging and reminders: templates, channels (SMS over SMPP or an HTTP gateway, email,
 * Telegram) behind one interface, the outbox that sends every message once and loses
 * none, reminders with one-tap confirm and cancel, delivery receipts, and one inbox for
 * what patients write back.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.messaging;
