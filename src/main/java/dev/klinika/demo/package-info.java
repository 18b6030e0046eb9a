/**
 * Demo data: a clinic network with branches, staff, services and one login per role,
 * generated once into an empty database. Later modules add their patients, appointments
 * and calls here.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.demo;
