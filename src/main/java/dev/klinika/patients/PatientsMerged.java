package dev.klinika.patients;

/**
 * Two cards turned out to be one person: everything that referred to {@code merged} now
 * belongs to {@code survivor}. Modules that keep patient ids (appointments, calls,
 * payments, ...) listen and move their records; the merged card stays as a tombstone that
 * redirects.
 */
public record PatientsMerged(long survivor, long merged) {
}
