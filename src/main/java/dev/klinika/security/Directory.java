package dev.klinika.security;

import java.util.List;
import java.util.Optional;

/**
 * What the users screen needs to know about branches and staff. {@code organization}
 * implements it, so that {@code security} stays free of a dependency on the module that
 * depends on it.
 */
public interface Directory {

	List<Entry> branches();

	List<Entry> activeStaff();

	Optional<String> staffName(long staffId);

	/** An id and the name people know it by. */
	record Entry(long id, String name) {
	}

}
