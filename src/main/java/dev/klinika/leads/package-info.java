/**
 * Leads: inquiries from calls, website forms and messages, one per person while open; the
 * funnel from the first touch to the repeat course, moved by people and by the visits
 * themselves; lost reasons; the response-time promise and its escalation; the senior
 * admin's report.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.leads;
