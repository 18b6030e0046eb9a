package dev.klinika.shared;

import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;

/**
 * A phone number in E.164 form ({@code +79161234567}). "8 (916) 123-45-67", "+7 916
 * 1234567" and "9161234567" are one number when the default region is RU.
 */
public record PhoneNumber(String e164) {

	/** The region assumed for numbers typed without a country code. */
	public static final String DEFAULT_REGION = "RU";

	private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

	public PhoneNumber {
		if (e164 == null || !e164.matches("\\+[1-9]\\d{6,14}")) {
			throw new IllegalArgumentException("Not an E.164 phone number: " + e164);
		}
	}

	/** Parses a number as people type it; empty when it is not a valid number. */
	public static Optional<PhoneNumber> parse(String text) {
		return parse(text, DEFAULT_REGION);
	}

	public static Optional<PhoneNumber> parse(String text, String defaultRegion) {
		if (text == null || text.isBlank() || text.length() > 40) {
			return Optional.empty();
		}
		try {
			var number = UTIL.parse(text.trim(), defaultRegion);
			if (!UTIL.isValidNumber(number)) {
				return Optional.empty();
			}
			return Optional.of(new PhoneNumber(UTIL.format(number, PhoneNumberFormat.E164)));
		}
		catch (NumberParseException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Whether the number can receive an SMS: a mobile number, or one its country does not
	 * tell apart from a landline.
	 */
	public boolean mobile() {
		try {
			var type = UTIL.getNumberType(UTIL.parse(this.e164, DEFAULT_REGION));
			return type == PhoneNumberUtil.PhoneNumberType.MOBILE
					|| type == PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE;
		}
		catch (NumberParseException ex) {
			return false;
		}
	}

	/** The number for people to read: "+7 916 123-45-67". */
	public String display() {
		try {
			return UTIL.format(UTIL.parse(this.e164, DEFAULT_REGION), PhoneNumberFormat.INTERNATIONAL);
		}
		catch (NumberParseException ex) {
			return this.e164;
		}
	}

	/**
	 * A stored number (E.164, or whatever a PBX or a sender gave) for people to read: the
	 * number's display form when it parses, else as stored.
	 */
	public static String displayOf(String stored) {
		return parse(stored).map(PhoneNumber::display).orElse(stored);
	}

	@Override
	public String toString() {
		return this.e164;
	}

}
