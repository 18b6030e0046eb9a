package dev.klinika.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.ReadOnlyProperty;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/** A login: who may enter Klinika, in which roles and branches. */
@Table("app_user")
public class UserAccount {

	private @Id @Nullable Long id;

	private String username;

	private String passwordHash;

	private String fullName;

	private @Nullable Long staffId;

	private boolean enabled;

	@MappedCollection(idColumn = "user_id")
	private Set<UserRole> roles;

	@MappedCollection(idColumn = "user_id")
	private Set<UserBranch> branches;

	private @Version @Nullable Integer version;

	@ReadOnlyProperty
	private @Nullable Instant createdAt;

	@PersistenceCreator
	UserAccount(@Nullable Long id, String username, String passwordHash, String fullName, @Nullable Long staffId,
			boolean enabled, Set<UserRole> roles, Set<UserBranch> branches, @Nullable Integer version,
			@Nullable Instant createdAt) {
		this.id = id;
		this.username = username;
		this.passwordHash = passwordHash;
		this.fullName = fullName;
		this.staffId = staffId;
		this.enabled = enabled;
		this.roles = roles;
		this.branches = branches;
		this.version = version;
		this.createdAt = createdAt;
	}

	UserAccount(String username, String passwordHash, String fullName) {
		this(null, username.trim(), passwordHash, fullName.trim(), null, true, Set.of(), Set.of(), null, null);
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public String getUsername() {
		return this.username;
	}

	public String getFullName() {
		return this.fullName;
	}

	public @Nullable Long getStaffId() {
		return this.staffId;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public Set<Role> getRoles() {
		return this.roles.isEmpty() ? EnumSet.noneOf(Role.class)
				: EnumSet.copyOf(this.roles.stream().map(UserRole::role).toList());
	}

	public Set<Long> getBranchIds() {
		return this.branches.stream().map(UserBranch::branchId).collect(Collectors.toSet());
	}

	/** OWNER and MANAGER see every branch whatever branches the login lists. */
	public boolean isNetworkWide() {
		return getRoles().stream().anyMatch(Role.NETWORK_WIDE::contains);
	}

	String getPasswordHash() {
		return this.passwordHash;
	}

	void describe(String fullName, Set<Role> roles, Set<Long> branchIds, @Nullable Long staffId) {
		this.fullName = fullName.trim();
		this.roles = roles.stream().map(UserRole::new).collect(Collectors.toSet());
		this.branches = branchIds.stream().map(UserBranch::new).collect(Collectors.toSet());
		this.staffId = staffId;
	}

	void changePassword(String passwordHash) {
		this.passwordHash = passwordHash;
	}

	void enable() {
		this.enabled = true;
	}

	void disable() {
		this.enabled = false;
	}

	KlinikaUser toPrincipal() {
		return new KlinikaUser(this.id == null ? 0 : this.id, this.username, this.fullName, this.passwordHash,
				this.enabled, getRoles(), getBranchIds(), this.staffId);
	}

	/** One role of a login. */
	record UserRole(Role role) {
	}

	/** One branch a login works in. */
	record UserBranch(Long branchId) {
	}

}
