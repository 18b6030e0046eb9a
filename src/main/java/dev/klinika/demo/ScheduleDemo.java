package dev.klinika.demo;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.klinika.scheduling.WorkPatterns;
import dev.klinika.scheduling.WorkPatterns.Stretch;

/**
 * Working patterns for the demo staff: most work weekdays 9-18 with a lunch break, some a
 * two-week rotation with Saturdays, some "2 on, 2 off" 8-20 shifts, as rehabilitation
 * centres do.
 */
@Component
@Order(5)
class ScheduleDemo implements DemoStep {

	private final WorkPatterns patterns;

	ScheduleDemo(WorkPatterns patterns) {
		this.patterns = patterns;
	}

	@Override
	public void generate(DemoContext context) {
		// Patterns start on a Monday five years ago (room for a big demo history), so day
		// 0 of a weekly cycle is a Monday.
		LocalDate monday = LocalDate.now()
			.minusYears(5)
			.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
		int n = 0;
		for (Map.Entry<Long, List<Long>> staff : context.staffBranches.entrySet()) {
			boolean first = true;
			for (long branch : staff.getValue()) {
				List<Stretch> stretches = new ArrayList<>();
				int cycle;
				if (!first) {
					// Nobody is in two places at once: a second branch gets the staff
					// member on Saturdays.
					this.patterns.set(staff.getKey(), branch, monday, 7,
							List.of(new Stretch(5, LocalTime.of(10, 0), LocalTime.of(16, 0))));
					continue;
				}
				first = false;
				// A specialist of two branches works weekdays in the first, so Saturdays
				// are free for the second.
				switch (staff.getValue().size() > 1 ? 3 : n++ % 4) {
					case 0 -> {
						cycle = 14;
						for (int day = 0; day < 14; day++) {
							if (day % 7 < 5 && day != 11) {
								stretches.add(new Stretch(day, LocalTime.of(10, 0), LocalTime.of(19, 0)));
							}
						}
					}
					case 1 -> {
						cycle = 4;
						stretches.add(new Stretch(0, LocalTime.of(8, 0), LocalTime.of(20, 0)));
						stretches.add(new Stretch(1, LocalTime.of(8, 0), LocalTime.of(20, 0)));
					}
					default -> {
						cycle = 7;
						for (int day = 0; day < 5; day++) {
							stretches.add(new Stretch(day, LocalTime.of(9, 0), LocalTime.of(13, 0)));
							stretches.add(new Stretch(day, LocalTime.of(14, 0), LocalTime.of(18, 0)));
						}
					}
				}
				this.patterns.set(staff.getKey(), branch, monday, cycle, stretches);
			}
		}
	}

}
