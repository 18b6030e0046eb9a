package dev.klinika.patients;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * A patient's timeline: every contributor's entries merged, newest first, a page at a
 * time.
 */
@Component
public class Timeline {

	private final List<TimelineContributor> contributors;

	Timeline(List<TimelineContributor> contributors) {
		this.contributors = contributors;
	}

	public List<TimelineEntry> page(long patientId, Instant before, int limit) {
		return page(patientId, before, limit, kind -> true);
	}

	/** A page of only the entries of some kinds (the card's visits). */
	public List<TimelineEntry> page(long patientId, Instant before, int limit,
			java.util.function.Predicate<String> kinds) {
		return this.contributors.stream()
			.flatMap(contributor -> contributor.entries(patientId, before, limit).stream())
			.filter(entry -> kinds.test(entry.kind()))
			.sorted(Comparator.comparing(TimelineEntry::at).reversed())
			.limit(limit)
			.toList();
	}

	/** What is still to be done about the patient (open tasks), the soonest due first. */
	public List<TimelineEntry> open(long patientId) {
		return this.contributors.stream()
			.flatMap(contributor -> contributor.open(patientId).stream())
			.sorted(Comparator.comparing(TimelineEntry::at))
			.toList();
	}

}
