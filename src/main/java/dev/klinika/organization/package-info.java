/**
 * The clinic, its branches with time zones and working hours, rooms, specialties and
 * staff.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.organization;
