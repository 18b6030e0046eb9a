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
		return this.contributors.stream()
			.flatMap(contributor -> contributor.entries(patientId, before, limit).stream())
			.sorted(Comparator.comparing(TimelineEntry::at).reversed())
			.limit(limit)
			.toList();
	}

}
