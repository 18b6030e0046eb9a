package dev.klinika.patients;

import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.security.CurrentUser;

/**
 * A field of a card as the merge screen shows it, for
 * {@code @mergeValues.of(patient, field, locale)}.
 */
@Component
class MergeValues {

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

	private final MessageSource messages;

	private final OrganizationQueries organization;

	private final PatientSources sources;

	private final CurrentUser currentUser;

	MergeValues(MessageSource messages, OrganizationQueries organization, PatientSources sources,
			CurrentUser currentUser) {
		this.messages = messages;
		this.organization = organization;
		this.sources = sources;
		this.currentUser = currentUser;
	}

	public @Nullable String of(Patient patient, String field, Locale locale) {
		return switch (field) {
			case "surname" -> patient.getSurname();
			case "name" -> patient.getName();
			case "patronymic" -> patient.getPatronymic();
			case "sex" -> patient.getSex() == null ? null
					: this.messages.getMessage("patient.sex." + patient.getSex(), null, locale);
			case "birthDate" -> patient.getBirthDate() == null ? null : DATE.format(patient.getBirthDate());
			case "email" -> patient.getEmail();
			case "preferredChannel" -> patient.getPreferredChannel() == null ? null
					: this.messages.getMessage("patient.channel." + patient.getPreferredChannel(), null, locale);
			case "timeZone" -> patient.getZone().map(Object::toString).orElse(null);
			case "source" -> patient.getSourceId() == null ? null
					: this.sources.findById(patient.getSourceId()).map(source -> source.getName()).orElse(null);
			case "consultant" -> patient.getConsultantId() == null ? null
					: this.organization.staff(this.currentUser.scope(), null, null, true)
						.stream()
						.filter(staff -> staff.id() == patient.getConsultantId())
						.map(OrganizationQueries.StaffRow::fullName)
						.findFirst()
						.orElse(null);
			case "nextContactOn" -> patient.getNextContactOn() == null ? null : DATE.format(patient.getNextContactOn());
			case "homeBranch" -> this.organization.branchOption(patient.getHomeBranchId())
				.map(OrganizationQueries.BranchOption::name)
				.orElse(null);
			default -> throw new IllegalArgumentException("Unknown field " + field);
		};
	}

}
