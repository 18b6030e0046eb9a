package dev.klinika.scheduling;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Lets tests of other packages set up an {@link OwnClinic}. */
public final class OwnClinicAccess {

	private OwnClinicAccess() {
	}

	/** The branch and the ids a test outside this package needs. */
	public record Ids(long branch, long first, long second, long plainService, long roomService, long groupService) {
	}

	public static Ids create(JdbcClient jdbc, WorkPatterns patterns) {
		OwnClinic clinic = OwnClinic.create(jdbc, patterns);
		return new Ids(clinic.branch(), clinic.first(), clinic.second(), clinic.plainService(), clinic.roomService(),
				clinic.groupService());
	}

}
