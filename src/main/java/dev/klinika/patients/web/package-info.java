/** Screens of the patient base: search, the card, its form, consents and sources. */
@org.jspecify.annotations.NullMarked
package dev.klinika.patients.web;
