package dev.klinika.scheduling;

import java.time.Duration;
import java.time.Instant;

/** A half-open stretch of time [start, end), as PostgreSQL's tstzrange '[)' stores it. */
public record TimeSpan(Instant start, Instant end) {

	public TimeSpan {
		if (!end.isAfter(start)) {
			throw new IllegalArgumentException("A time span ends after it starts: " + start + " - " + end);
		}
	}

	public static TimeSpan of(Instant start, Duration length) {
		return new TimeSpan(start, start.plus(length));
	}

	public boolean overlaps(TimeSpan other) {
		return this.start.isBefore(other.end) && other.start.isBefore(this.end);
	}

	public boolean contains(TimeSpan other) {
		return !other.start.isBefore(this.start) && !other.end.isAfter(this.end);
	}

}
