package dev.klinika.shared;

/**
 * A branch's calendar days in SQL: from its local midnight some days from today to
 * another, in its own time zone, so that "today" in Vladivostok and in Kaliningrad are
 * each their own. The query binds {@code :now} (a timestamptz) and names the branch's
 * zone column.
 */
public final class BranchDays {

	private BranchDays() {
	}

	/**
	 * A {@code tstzrange} from the local midnight {@code from} days from today to the one
	 * {@code to} days from today (SQL expressions, e.g. {@code ":offset"}).
	 */
	public static String range(String zoneColumn, String from, String to) {
		return "tstzrange(" + midnight(zoneColumn, from) + ", " + midnight(zoneColumn, to) + ")";
	}

	private static String midnight(String zone, String days) {
		return "((date_trunc('day', :now at time zone " + zone + ") + (" + days + ") * interval '1 day') at time zone "
				+ zone + ")";
	}

}
