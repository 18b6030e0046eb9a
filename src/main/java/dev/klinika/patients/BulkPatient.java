package dev.klinika.patients;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A card to write in bulk (imports, demo data): the same fields a person types, plus its
 * first history entry. Phones are E.164, the first one main.
 */
public record BulkPatient(String surname, String name, @Nullable String patronymic, @Nullable Sex sex,
		@Nullable LocalDate birthDate, @Nullable String email, @Nullable String notes, @Nullable Long sourceId,
		long homeBranchId, String createdBy, OffsetDateTime createdAt, List<String> phones,
		Map<Messenger, String> messengers, List<String> tags, List<Consent> consents, String historyKind,
		String historySummary) {

	/** A consent that came with the card. */
	public record Consent(ConsentKind kind, OffsetDateTime givenAt, ConsentChannel channel,
			@Nullable OffsetDateTime withdrawnAt) {
	}

}
