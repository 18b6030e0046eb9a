package dev.klinika.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates and changes logins; only an OWNER may create or change another OWNER. */
@Service
@Transactional
public class UserManagement {

	/** Shortest password a person may choose; BCrypt reads at most 72 bytes. */
	public static final int MIN_PASSWORD = 8;

	public static final int MAX_PASSWORD = 72;

	private final UserAccounts accounts;

	private final PasswordEncoder encoder;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	UserManagement(UserAccounts accounts, PasswordEncoder encoder, CurrentUser currentUser, AuditLog audit) {
		this.accounts = accounts;
		this.encoder = encoder;
		this.currentUser = currentUser;
		this.audit = audit;
	}

	@Transactional(readOnly = true)
	public List<UserAccount> all() {
		return this.accounts.findAllSorted();
	}

	@Transactional(readOnly = true)
	public Optional<UserAccount> find(long id) {
		return this.accounts.findById(id);
	}

	@Transactional(readOnly = true)
	public Optional<UserAccount> findByStaff(long staffId) {
		return this.accounts.findByStaffId(staffId);
	}

	@Transactional(readOnly = true)
	public boolean usernameTaken(String username, @Nullable Long exceptId) {
		return this.accounts.findByUsername(username.trim())
			.filter(existing -> !existing.getId().equals(exceptId))
			.isPresent();
	}

	@Transactional(readOnly = true)
	public long count() {
		return this.accounts.count();
	}

	public UserAccount create(String username, String password, String fullName, Set<Role> roles, Set<Long> branchIds,
			@Nullable Long staffId) {
		guardOwnerRole(roles);
		UserAccount account = new UserAccount(username, this.encoder.encode(password), fullName);
		account.describe(fullName, roles, branchIds, staffId);
		account = this.accounts.save(account);
		this.audit.record("USER_CREATED", "user", account.getId(), describe(account));
		return account;
	}

	public UserAccount update(long id, String fullName, Set<Role> roles, Set<Long> branchIds, @Nullable Long staffId,
			@Nullable String newPassword) {
		UserAccount account = this.accounts.findById(id).orElseThrow();
		guardOwnerRole(account.getRoles());
		guardOwnerRole(roles);
		if (isSelf(account) && !roles.equals(account.getRoles())) {
			throw new AccessDeniedException("A login cannot change its own roles");
		}
		String before = describe(account);
		account.describe(fullName, roles, branchIds, staffId);
		if (newPassword != null && !newPassword.isEmpty()) {
			account.changePassword(this.encoder.encode(newPassword));
		}
		account = this.accounts.save(account);
		this.audit.record("USER_CHANGED", "user", id, before + " -> " + describe(account)
				+ (newPassword == null || newPassword.isEmpty() ? "" : "; password changed"));
		return account;
	}

	public void setEnabled(long id, boolean enabled) {
		UserAccount account = this.accounts.findById(id).orElseThrow();
		guardOwnerRole(account.getRoles());
		if (isSelf(account) && !enabled) {
			throw new AccessDeniedException("A login cannot disable itself");
		}
		if (enabled) {
			account.enable();
		}
		else {
			account.disable();
		}
		this.accounts.save(account);
		this.audit.record(enabled ? "USER_ENABLED" : "USER_DISABLED", "user", id, account.getUsername());
	}

	/** Outside a request (demo data, first start) there is nobody to check. */
	private void guardOwnerRole(Set<Role> roles) {
		if (roles.contains(Role.OWNER) && this.currentUser.get().isPresent() && !this.currentUser.has(Role.OWNER)) {
			throw new AccessDeniedException("Only an owner may grant or change the OWNER role");
		}
	}

	private boolean isSelf(UserAccount account) {
		return this.currentUser.get().map(user -> user.id() == account.getId()).orElse(false);
	}

	private static String describe(UserAccount account) {
		return account.getUsername() + " roles=" + account.getRoles() + " branches=" + account.getBranchIds()
				+ " staff=" + account.getStaffId();
	}

}
