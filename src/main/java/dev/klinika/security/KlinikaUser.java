package dev.klinika.security;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The logged-in person as the session keeps them: roles, branches and the linked staff
 * member.
 */
public final class KlinikaUser implements UserDetails, CredentialsContainer, Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	private final long id;

	private final String username;

	private final String fullName;

	private @Nullable String passwordHash;

	private final boolean enabled;

	private final Set<Role> roles;

	private final Set<Long> branchIds;

	private final @Nullable Long staffId;

	public KlinikaUser(long id, String username, String fullName, @Nullable String passwordHash, boolean enabled,
			Set<Role> roles, Set<Long> branchIds, @Nullable Long staffId) {
		this.id = id;
		this.username = username;
		this.fullName = fullName;
		this.passwordHash = passwordHash;
		this.enabled = enabled;
		this.roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
		this.branchIds = new LinkedHashSet<>(branchIds);
		this.staffId = staffId;
	}

	public long id() {
		return this.id;
	}

	public String fullName() {
		return this.fullName;
	}

	public Set<Role> roles() {
		return Set.copyOf(this.roles);
	}

	public boolean has(Role role) {
		return this.roles.contains(role);
	}

	public @Nullable Long staffId() {
		return this.staffId;
	}

	/** Every branch for OWNER and MANAGER, otherwise the branches the login lists. */
	public BranchScope scope() {
		return this.roles.stream().anyMatch(Role.NETWORK_WIDE::contains) ? BranchScope.everything()
				: BranchScope.of(this.branchIds);
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		List<GrantedAuthority> authorities = this.roles.stream()
			.map(role -> (GrantedAuthority) new SimpleGrantedAuthority(role.authority()))
			.toList();
		return authorities;
	}

	@Override
	public @Nullable String getPassword() {
		return this.passwordHash;
	}

	@Override
	public String getUsername() {
		return this.username;
	}

	@Override
	public boolean isEnabled() {
		return this.enabled;
	}

	@Override
	public void eraseCredentials() {
		this.passwordHash = null;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof KlinikaUser user && user.id == this.id;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.id);
	}

	@Override
	public String toString() {
		return "KlinikaUser[" + this.username + "]";
	}

}
