/** The schedule's endpoints for staff screens: free slots and booking as JSON. */
@org.jspecify.annotations.NullMarked
package dev.klinika.scheduling.web;
