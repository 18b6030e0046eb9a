package dev.klinika.workspace;

import java.util.Locale;

/**
 * The plural category of a count: Russian has three (1 пациент, 2 пациента, 5 пациентов).
 */
final class Plurals {

	private Plurals() {
	}

	/** "one", "few" or "many" for Russian; "one" or "many" for English and the rest. */
	public static String category(long count, Locale locale) {
		long n = Math.abs(count);
		if ("ru".equals(locale.getLanguage())) {
			long lastTwo = n % 100;
			long last = n % 10;
			if (last == 1 && lastTwo != 11) {
				return "one";
			}
			if (last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)) {
				return "few";
			}
			return "many";
		}
		return n == 1 ? "one" : "many";
	}

}
