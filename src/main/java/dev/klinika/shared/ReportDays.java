package dev.klinika.shared;

import java.time.LocalDate;

import org.jspecify.annotations.Nullable;

/**
 * The days a report covers, as asked: either end may be missing (today, or so many days
 * before the last), the two in order, and at most a year and a day apart.
 */
public record ReportDays(LocalDate from, LocalDate to) {

	/** The longest period a report reads: a year and a day back from its last day. */
	public static final int MAX_DAYS = 366;

	/**
	 * {@code from} to {@code to}; without {@code to} up to {@code today}, without
	 * {@code from} the {@code defaultDays} ending on the last day.
	 */
	public static ReportDays of(@Nullable LocalDate from, @Nullable LocalDate to, LocalDate today, int defaultDays) {
		LocalDate last = to != null ? to : today;
		LocalDate first = from != null ? from : last.minusDays(defaultDays - 1L);
		if (first.isAfter(last)) {
			LocalDate swap = first;
			first = last;
			last = swap;
		}
		if (first.isBefore(last.minusDays(MAX_DAYS))) {
			first = last.minusDays(MAX_DAYS);
		}
		return new ReportDays(first, last);
	}

}
