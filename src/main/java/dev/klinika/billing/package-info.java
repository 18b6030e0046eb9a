/**
 * Billing: what a visit cost and how it was paid. Bills with their lines and discounts,
 * an append-only ledger of payments, refunds and patients' advances, and the events other
 * modules (loyalty, payroll, analytics, documents) follow.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.billing;
