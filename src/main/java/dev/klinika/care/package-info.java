/**
 * Care pathways: what a doctor prescribes after a visit (services or specialties,
 * sessions, frequency, order, a re-examination), the patient's way through it, and where
 * each patient stopped. No diagnoses or clinical notes: services, not conditions.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.care;
