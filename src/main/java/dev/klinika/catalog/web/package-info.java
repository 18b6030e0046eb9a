/** Screens of the service catalog. */
@org.jspecify.annotations.NullMarked
package dev.klinika.catalog.web;
