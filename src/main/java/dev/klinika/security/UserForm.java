package dev.klinika.security;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** A login's name, person, password, roles, branches and linked staff member. */
class UserForm {

	@NotBlank(message = "{validation.required}")
	@Size(min = 3, max = 50, message = "{validation.size.between}")
	@Pattern(regexp = "^$|[A-Za-z0-9._@-]+", message = "{validation.username}")
	private String username = "";

	@NotBlank(message = "{validation.required}")
	@Size(max = 200, message = "{validation.size.max}")
	private String fullName = "";

	private @Nullable String password;

	private Set<Role> roles = EnumSet.noneOf(Role.class);

	private Set<Long> branchIds = new LinkedHashSet<>();

	private @Nullable Long staffId;

	static UserForm of(UserAccount account) {
		UserForm form = new UserForm();
		form.username = account.getUsername();
		form.fullName = account.getFullName();
		form.roles = account.getRoles();
		form.branchIds = new LinkedHashSet<>(account.getBranchIds());
		form.staffId = account.getStaffId();
		return form;
	}

	// Accessors for data binding.

	public String getUsername() {
		return this.username;
	}

	public void setUsername(String username) {
		this.username = username;
	}

	public String getFullName() {
		return this.fullName;
	}

	public void setFullName(String fullName) {
		this.fullName = fullName;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public Set<Role> getRoles() {
		return this.roles;
	}

	public void setRoles(Set<Role> roles) {
		this.roles = roles;
	}

	public Set<Long> getBranchIds() {
		return this.branchIds;
	}

	public void setBranchIds(Set<Long> branchIds) {
		this.branchIds = branchIds;
	}

	public @Nullable Long getStaffId() {
		return this.staffId;
	}

	public void setStaffId(@Nullable Long staffId) {
		this.staffId = staffId;
	}

}
