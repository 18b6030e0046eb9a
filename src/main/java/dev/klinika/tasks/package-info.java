/**
 * Tasks and automation: what someone has to do about a patient (call back, book, hand
 * off, follow up), owned by a person or by a role in a branch, and the rules (data, not
 * code) that create them from what happens in the clinic, each exactly once per cause.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.tasks;
