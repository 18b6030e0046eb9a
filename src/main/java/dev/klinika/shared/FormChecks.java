package dev.klinika.shared;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.validation.BindingResult;

/** Turns typed phones and time zones into values, or into field errors of a form. */
public final class FormChecks {

	private FormChecks() {
	}

	/** The phone as E.164, or a field error; an empty field is no phone. */
	public static @Nullable PhoneNumber phone(@Nullable String typed, String field, BindingResult result) {
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

	public static @Nullable ZoneId zone(@Nullable String typed, String field, BindingResult result) {
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
