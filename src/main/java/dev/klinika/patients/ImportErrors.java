package dev.klinika.patients;

import java.util.Set;

/**
 * Turns why a file was refused into a message key suffix: import.error.&lt;reason&gt;.
 */
final class ImportErrors {

	static final Set<String> KNOWN = Set.of("EMPTY", "TOO_LARGE", "ENCRYPTED_OR_XLS", "ZIP_BOMB", "NOT_A_TABLE",
			"MISSING_COLUMNS", "TOO_MANY_ROWS");

	private ImportErrors() {
	}

	static String reason(RuntimeException ex) {
		String message = String.valueOf(ex.getMessage());
		return KNOWN.contains(message) ? message : "NOT_A_TABLE";
	}

}
