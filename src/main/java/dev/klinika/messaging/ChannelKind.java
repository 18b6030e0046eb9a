package dev.klinika.messaging;

/** The ways a message reaches a patient. */
public enum ChannelKind {

	SMS, EMAIL, TELEGRAM

}
