package dev.klinika.organization;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.klinika.shared.PhoneNumber;

/** A staff member's name, position, contacts, specialties and branches. */
class StaffForm {

	@NotBlank(message = "{validation.required}")
	@Size(max = 100, message = "{validation.size.max}")
	private String surname = "";

	@NotBlank(message = "{validation.required}")
	@Size(max = 100, message = "{validation.size.max}")
	private String name = "";

	@Size(max = 100, message = "{validation.size.max}")
	private @Nullable String patronymic;

	@NotBlank(message = "{validation.required}")
	@Size(max = 150, message = "{validation.size.max}")
	private String position = "";

	private @Nullable String phone;

	@Email(message = "{validation.email}")
	@Size(max = 254, message = "{validation.size.max}")
	private @Nullable String email;

	private Set<Long> specialtyIds = new LinkedHashSet<>();

	private Set<Long> branchIds = new LinkedHashSet<>();

	private @Nullable Integer version;

	static StaffForm of(StaffMember member) {
		StaffForm form = new StaffForm();
		form.surname = member.getSurname();
		form.name = member.getName();
		form.patronymic = member.getPatronymic();
		form.position = member.getPosition();
		form.phone = member.getPhone().map(PhoneNumber::display).orElse(null);
		form.email = member.getEmail();
		form.specialtyIds = new LinkedHashSet<>(member.getSpecialtyIds());
		form.branchIds = new LinkedHashSet<>(member.getBranchIds());
		form.version = member.getVersion();
		return form;
	}

	StaffMember.Profile profile(@Nullable PhoneNumber phone) {
		return new StaffMember.Profile(this.surname, this.name, this.patronymic, this.position, phone, this.email,
				Set.copyOf(this.specialtyIds), Set.copyOf(this.branchIds));
	}

	// Accessors for data binding.

	public String getSurname() {
		return this.surname;
	}

	public void setSurname(String surname) {
		this.surname = surname;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public @Nullable String getPatronymic() {
		return this.patronymic;
	}

	public void setPatronymic(@Nullable String patronymic) {
		this.patronymic = patronymic;
	}

	public String getPosition() {
		return this.position;
	}

	public void setPosition(String position) {
		this.position = position;
	}

	public @Nullable String getPhone() {
		return this.phone;
	}

	public void setPhone(@Nullable String phone) {
		this.phone = phone;
	}

	public @Nullable String getEmail() {
		return this.email;
	}

	public void setEmail(@Nullable String email) {
		this.email = email;
	}

	public Set<Long> getSpecialtyIds() {
		return this.specialtyIds;
	}

	public void setSpecialtyIds(Set<Long> specialtyIds) {
		this.specialtyIds = specialtyIds;
	}

	public Set<Long> getBranchIds() {
		return this.branchIds;
	}

	public void setBranchIds(Set<Long> branchIds) {
		this.branchIds = branchIds;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

}
