package dev.klinika.organization.web;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.validation.BindingResult;

import dev.klinika.shared.PhoneNumber;

/** Checks of typed values that bean validation cannot express: phones and time zones. */
final class FormChecks {

	private FormChecks() {
	}

	/** The phone as E.164, or a field error; an empty field is no phone. */
	static @Nullable PhoneNumber phone(@Nullable String typed, String field, BindingResult result) {
		if (typed == null || typed.isBlank()) {
			return null;
		}
		Optional<PhoneNumber> phone = PhoneNumber.parse(typed);
		if (phone.isEmpty()) {
			result.rejectValue(field, "validation.phone");
			return null;
		}
		return phone.get();
	}

	static @Nullable ZoneId zone(@Nullable String typed, String field, BindingResult result) {
		if (typed == null || typed.isBlank()) {
			return null;
		}
		try {
			if (!ZoneId.getAvailableZoneIds().contains(typed.trim())) {
				throw new DateTimeException(typed);
			}
			return ZoneId.of(typed.trim());
		}
		catch (DateTimeException ex) {
			result.rejectValue(field, "validation.timeZone");
			return null;
		}
	}

}
