package dev.klinika.organization;

import java.time.DayOfWeek;
import java.time.LocalTime;

import org.springframework.data.relational.core.mapping.Table;

/** When a branch is open on one day of the week, in the branch's time zone. */
@Table("branch_hours")
public record WorkingHours(int dayOfWeek, LocalTime opens, LocalTime closes) {

	public WorkingHours {
		if (dayOfWeek < 1 || dayOfWeek > 7) {
			throw new IllegalArgumentException("Day of week is 1 (Monday) to 7 (Sunday): " + dayOfWeek);
		}
		if (!closes.isAfter(opens)) {
			throw new IllegalArgumentException("A branch closes after it opens: " + opens + "-" + closes);
		}
	}

	public DayOfWeek day() {
		return DayOfWeek.of(this.dayOfWeek);
	}

}
