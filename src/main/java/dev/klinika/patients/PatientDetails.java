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

}
