package dev.klinika.messaging;

/**
 * Why a message is sent: a STOP ends marketing only; reminders and service messages stop
 * only when the patient asks for nothing at all.
 */
enum Purpose {

	REMINDER, SERVICE, MARKETING, REPLY

}
