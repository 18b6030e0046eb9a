package dev.klinika.tasks;

import org.jspecify.annotations.Nullable;

/**
 * A lead still not booked an hour after it came: the event the leads module publishes for
 * the LEAD_NOT_BOOKED rules (it lives here, with the rules it feeds, because leads
 * already depends on tasks). {@code who} is how the task names the lead.
 */
public record LeadNotBooked(long lead, @Nullable Long branch, @Nullable Long patient, String who) {
}
