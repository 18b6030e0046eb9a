package dev.klinika.catalog;

import java.time.Period;

import org.jspecify.annotations.Nullable;

/** The unit a repeat interval is typed in. */
enum RepeatUnit {

	DAYS, WEEKS, MONTHS, YEARS;

	Period of(int amount) {
		return switch (this) {
			case DAYS -> Period.ofDays(amount);
			case WEEKS -> Period.ofWeeks(amount);
			case MONTHS -> Period.ofMonths(amount);
			case YEARS -> Period.ofYears(amount);
		};
	}

	/** Splits a stored period back into what the form shows: "P6M" is 6 months. */
	static @Nullable Object[] split(@Nullable Period period) {
		if (period == null) {
			return new Object[] { null, MONTHS };
		}
		if (period.getYears() > 0 && period.getMonths() == 0 && period.getDays() == 0) {
			return new Object[] { period.getYears(), YEARS };
		}
		if (period.getDays() == 0) {
			return new Object[] { (int) period.toTotalMonths(), MONTHS };
		}
		if (period.getDays() % 7 == 0 && period.toTotalMonths() == 0) {
			return new Object[] { period.getDays() / 7, WEEKS };
		}
		return new Object[] { period.getDays() + (int) period.toTotalMonths() * 30, DAYS };
	}

}
