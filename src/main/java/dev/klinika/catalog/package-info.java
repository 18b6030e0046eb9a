/**
 * The catalog of services: price with history, duration, specialty, category and repeat
 * interval.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.catalog;
