/**
 * The schedule: when staff work, free slots, and appointments that never overlap in one
 * staff member's or one room's time, with their lifecycle from booked to completed.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.scheduling;
