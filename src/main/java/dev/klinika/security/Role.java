package dev.klinika.security;

import java.util.Set;

/** What a login may do; see docs/roles.md for the permission matrix. */
public enum Role {

	OWNER, MANAGER, SENIOR_ADMIN, ADMIN, DOCTOR, CONSULTANT, MARKETER;

	/** Roles that see every branch, whatever branches their login lists. */
	public static final Set<Role> NETWORK_WIDE = Set.of(OWNER, MANAGER);

	public String authority() {
		return "ROLE_" + name();
	}

}
