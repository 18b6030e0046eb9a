/**
 * Telephony: call events from the clinic's virtual PBX (a generic JSON format and
 * vendors' own) merged into calls in any order and once per event, missed calls that stay
 * until someone calls back, and the clinic's lines with their ad sources.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.telephony;
