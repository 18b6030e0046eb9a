package dev.klinika.patients;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One line of a patient's timeline. {@code kind} picks the words
 * ({@code timeline.kind.<kind>} in the messages), {@code text} is shown as typed,
 * {@code changes} list what an edit changed.
 */
public record TimelineEntry(Instant at, String kind, @Nullable String text, List<Change> changes,
		@Nullable String actor, @Nullable String link) {

	public TimelineEntry {
		changes = List.copyOf(changes);
	}

	/**
	 * One field an edit changed: its message key suffix and the values before and after.
	 */
	public record Change(String field, @Nullable String before, @Nullable String after) {
	}

}
