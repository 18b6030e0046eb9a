package dev.klinika.organization;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.ReadOnlyProperty;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

import dev.klinika.shared.PhoneNumber;

/** A doctor, specialist or administrator who works in one or more branches. */
@Table("staff")
public class StaffMember {

	private @Id @Nullable Long id;

	private String surname;

	private String name;

	private @Nullable String patronymic;

	private String position;

	private @Nullable String phone;

	private @Nullable String email;

	private @Nullable LocalDate dismissedOn;

	@MappedCollection(idColumn = "staff_id")
	private Set<StaffSpecialty> specialties;

	@MappedCollection(idColumn = "staff_id")
	private Set<StaffBranch> branches;

	private @Version @Nullable Integer version;

	@ReadOnlyProperty
	private @Nullable Instant createdAt;

	@PersistenceCreator
	StaffMember(@Nullable Long id, String surname, String name, @Nullable String patronymic, String position,
			@Nullable String phone, @Nullable String email, @Nullable LocalDate dismissedOn,
			Set<StaffSpecialty> specialties, Set<StaffBranch> branches, @Nullable Integer version,
			@Nullable Instant createdAt) {
		this.id = id;
		this.surname = surname;
		this.name = name;
		this.patronymic = patronymic;
		this.position = position;
		this.phone = phone;
		this.email = email;
		this.dismissedOn = dismissedOn;
		this.specialties = specialties;
		this.branches = branches;
		this.version = version;
		this.createdAt = createdAt;
	}

	public StaffMember(Profile profile) {
		this(null, profile.surname(), profile.name(), null, profile.position(), null, null, null, Set.of(), Set.of(),
				null, null);
		describe(profile);
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public String getSurname() {
		return this.surname;
	}

	public String getName() {
		return this.name;
	}

	public @Nullable String getPatronymic() {
		return this.patronymic;
	}

	public dev.klinika.shared.PersonName personName() {
		return new dev.klinika.shared.PersonName(this.surname, this.name, this.patronymic);
	}

	/** "Иванов Иван Иванович". */
	public String getFullName() {
		return personName().full();
	}

	/** "Иванов И. И.", as receptionists write it on the schedule. */
	public String getShortName() {
		return personName().initials();
	}

	public String getPosition() {
		return this.position;
	}

	public Optional<PhoneNumber> getPhone() {
		return Optional.ofNullable(this.phone).map(PhoneNumber::new);
	}

	public @Nullable String getEmail() {
		return this.email;
	}

	public @Nullable LocalDate getDismissedOn() {
		return this.dismissedOn;
	}

	public boolean isActive() {
		return this.dismissedOn == null;
	}

	public Set<Long> getSpecialtyIds() {
		return this.specialties.stream().map(StaffSpecialty::specialtyId).collect(Collectors.toSet());
	}

	public Set<Long> getBranchIds() {
		return this.branches.stream().map(StaffBranch::branchId).collect(Collectors.toSet());
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	void describe(Profile profile) {
		if (profile.surname().isBlank() || profile.name().isBlank() || profile.position().isBlank()) {
			throw new IllegalArgumentException("A staff member needs a surname, a name and a position");
		}
		this.surname = profile.surname().trim();
		this.name = profile.name().trim();
		this.patronymic = profile.patronymic() == null || profile.patronymic().isBlank() ? null
				: profile.patronymic().trim();
		this.position = profile.position().trim();
		this.phone = profile.phone() == null ? null : profile.phone().e164();
		this.email = profile.email() == null || profile.email().isBlank() ? null : profile.email().trim();
		this.specialties = profile.specialtyIds().stream().map(StaffSpecialty::new).collect(Collectors.toSet());
		this.branches = profile.branchIds().stream().map(StaffBranch::new).collect(Collectors.toSet());
	}

	void dismiss(LocalDate on) {
		if (this.dismissedOn != null) {
			throw new IllegalStateException("Already dismissed on " + this.dismissedOn);
		}
		this.dismissedOn = on;
	}

	void reinstate() {
		this.dismissedOn = null;
	}

	/** Everything about a staff member that a form edits at once. */
	public record Profile(String surname, String name, @Nullable String patronymic, String position,
			@Nullable PhoneNumber phone, @Nullable String email, Set<Long> specialtyIds, Set<Long> branchIds) {

		/** Names as patients' are: without invisible or control characters. */
		public Profile {
			surname = surname == null ? ""
					: java.util.Objects.requireNonNull(dev.klinika.shared.PlainText.clean(surname));
			name = name == null ? "" : java.util.Objects.requireNonNull(dev.klinika.shared.PlainText.clean(name));
			patronymic = dev.klinika.shared.PlainText.clean(patronymic);
			position = position == null ? ""
					: java.util.Objects.requireNonNull(dev.klinika.shared.PlainText.clean(position));
		}

	}

	/** A specialty the staff member practises. */
	record StaffSpecialty(Long specialtyId) {
	}

	/** A branch the staff member works in. */
	record StaffBranch(Long branchId) {
	}

}
