/** Screens for the clinic, branches, rooms, specialties and staff. */
@org.jspecify.annotations.NullMarked
package dev.klinika.organization.web;
