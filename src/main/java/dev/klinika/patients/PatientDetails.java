package dev.klinika.patients;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.klinika.shared.PhoneNumber;
import dev.klinika.shared.PlainText;

/** Everything about a patient that a person types in; the first phone is the main one. */
public record PatientDetails(String surname, String name, @Nullable String patronymic, @Nullable Sex sex,
		@Nullable LocalDate birthDate, List<PhoneNumber> phones, @Nullable String email,
		Map<Messenger, String> messengers, @Nullable Channel preferredChannel, @Nullable ZoneId zone,
		@Nullable Long sourceId, Set<String> tags, @Nullable String notes, @Nullable Long consultantId,
		@Nullable LocalDate nextContactOn, Long homeBranchId) {

	public PatientDetails {
		surname = java.util.Objects.requireNonNull(PlainText.clean(surname));
		name = java.util.Objects.requireNonNull(PlainText.clean(name));
		patronymic = PlainText.clean(patronymic);
		phones = List.copyOf(phones.stream().distinct().toList());
		messengers = Map.copyOf(messengers);
		tags = Set.copyOf(tags.stream().map(PlainText::clean).filter(tag -> tag != null && !tag.isEmpty()).toList());
	}

	/**
	 * A new card with only a name, in its home branch: the start of the details a caller
	 * fills with the withers below instead of sixteen positional arguments.
	 */
	public static PatientDetails named(String surname, String name, long homeBranchId) {
		return new PatientDetails(surname, name, null, null, null, List.of(), null, Map.of(), null, null, null,
				Set.of(), null, null, null, homeBranchId);
	}

	/** The same with a patronymic. */
	public PatientDetails withPatronymic(@Nullable String patronymic) {
		return new PatientDetails(this.surname, this.name, patronymic, this.sex, this.birthDate, this.phones,
				this.email, this.messengers, this.preferredChannel, this.zone, this.sourceId, this.tags, this.notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

	/** The same with a sex. */
	public PatientDetails withSex(@Nullable Sex sex) {
		return new PatientDetails(this.surname, this.name, this.patronymic, sex, this.birthDate, this.phones,
				this.email, this.messengers, this.preferredChannel, this.zone, this.sourceId, this.tags, this.notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

	/** The same with a birth date. */
	public PatientDetails withBirthDate(@Nullable LocalDate birthDate) {
		return new PatientDetails(this.surname, this.name, this.patronymic, this.sex, birthDate, this.phones,
				this.email, this.messengers, this.preferredChannel, this.zone, this.sourceId, this.tags, this.notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

	/** The same with these phones. */
	public PatientDetails withPhones(List<PhoneNumber> phones) {
		return new PatientDetails(this.surname, this.name, this.patronymic, this.sex, this.birthDate, phones,
				this.email, this.messengers, this.preferredChannel, this.zone, this.sourceId, this.tags, this.notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

	/** The same with an e-mail. */
	public PatientDetails withEmail(@Nullable String email) {
		return new PatientDetails(this.surname, this.name, this.patronymic, this.sex, this.birthDate, this.phones,
				email, this.messengers, this.preferredChannel, this.zone, this.sourceId, this.tags, this.notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

	/** The same with a source. */
	public PatientDetails withSourceId(@Nullable Long sourceId) {
		return new PatientDetails(this.surname, this.name, this.patronymic, this.sex, this.birthDate, this.phones,
				this.email, this.messengers, this.preferredChannel, this.zone, sourceId, this.tags, this.notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

	/** The same with these tags. */
	public PatientDetails withTags(Set<String> tags) {
		return new PatientDetails(this.surname, this.name, this.patronymic, this.sex, this.birthDate, this.phones,
				this.email, this.messengers, this.preferredChannel, this.zone, this.sourceId, tags, this.notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

	/** The same with notes. */
	public PatientDetails withNotes(@Nullable String notes) {
		return new PatientDetails(this.surname, this.name, this.patronymic, this.sex, this.birthDate, this.phones,
				this.email, this.messengers, this.preferredChannel, this.zone, this.sourceId, this.tags, notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

}
