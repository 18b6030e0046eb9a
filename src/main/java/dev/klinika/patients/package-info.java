/**
 * The patient base: the card with contacts and consents under 152-FZ, typo-tolerant
 * search, duplicate warnings and the timeline that other modules add to.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.patients;
