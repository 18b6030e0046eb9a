package dev.klinika.patients;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.klinika.shared.PhoneNumber;

/**
 * One row of an imported table checked against the card's rules: the card it makes, or
 * what is wrong with it (column, value, reason).
 */
final class ImportRow {

	/** Strict: 31.02.1999 is refused, not moved to 28.02.1999. */
	private static final List<DateTimeFormatter> DATES = List.of(strict("d.M.uuuu"), DateTimeFormatter.ISO_LOCAL_DATE,
			strict("d/M/uuuu"), strict("d-M-uuuu"), strict("d.M.uu"));

	private static DateTimeFormatter strict(String pattern) {
		return DateTimeFormatter.ofPattern(pattern).withResolverStyle(java.time.format.ResolverStyle.STRICT);
	}

	/**
	 * Excel counts days from 1899-12-30; a bare number in a date column is such a day.
	 */
	private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

	final int number;

	final List<Issue> issues = new ArrayList<>();

	@Nullable String surname;

	@Nullable String name;

	@Nullable String patronymic;

	@Nullable Sex sex;

	@Nullable LocalDate birthDate;

	final List<String> phones = new ArrayList<>();

	@Nullable String email;

	final List<String> tags = new ArrayList<>();

	@Nullable String notes;

	private ImportRow(int number) {
		this.number = number;
	}

	/** What is wrong with a cell. */
	record Issue(int row, @Nullable String column, @Nullable String value, String reason) {
	}

	static ImportRow check(int number, List<String> cells, List<String> headers, List<ImportField> mapping,
			LocalDate today) {
		ImportRow row = new ImportRow(number);
		for (int i = 0; i < mapping.size(); i++) {
			String value = i < cells.size() ? cells.get(i).trim() : "";
			if (value.isEmpty() || mapping.get(i) == ImportField.SKIP) {
				continue;
			}
			row.take(mapping.get(i), headers.get(i), value, today);
		}
		if (row.surname == null || row.name == null) {
			row.issues.add(new Issue(number, null, null, "MISSING_NAME"));
		}
		return row;
	}

	boolean valid() {
		return this.issues.isEmpty();
	}

	/** "иванова мария петровна": what the duplicate checks compare. */
	String searchName() {
		return (this.surname + " " + this.name + (this.patronymic == null ? "" : " " + this.patronymic))
			.toLowerCase(Locale.ROOT);
	}

	private void take(ImportField field, String column, String raw, LocalDate today) {
		String value = field == ImportField.NOTES ? raw
				: java.util.Objects.requireNonNull(dev.klinika.shared.PlainText.clean(raw));
		if (value.length() > 500 && field != ImportField.NOTES) {
			this.issues.add(new Issue(this.number, column, value.substring(0, 100), "TOO_LONG"));
			return;
		}
		switch (field) {
			case FULL_NAME -> fullName(value, column);
			case SURNAME -> this.surname = name(value, column);
			case NAME -> this.name = name(value, column);
			case PATRONYMIC -> this.patronymic = name(value, column);
			case BIRTH_DATE -> this.birthDate = date(value, column, today);
			case SEX -> this.sex = sex(value);
			case PHONE, PHONE2 -> phones(value, column);
			case EMAIL -> email(value, column);
			case TAGS -> Arrays.stream(value.split("[,;]"))
				.map(tag -> tag.trim().toLowerCase(Locale.ROOT))
				.filter(tag -> !tag.isEmpty() && tag.length() <= 50)
				.forEach(this.tags::add);
			case NOTES -> this.notes = value.length() > 4000 ? value.substring(0, 4000) : value;
			case SKIP -> {
			}
		}
	}

	/**
	 * "Иванова Мария Петровна" is three parts; a fourth and later ("Оглы") join the
	 * patronymic.
	 */
	private void fullName(String value, String column) {
		String[] parts = value.split("\\s+");
		this.surname = name(parts[0], column);
		if (parts.length > 1) {
			this.name = name(parts[1], column);
		}
		if (parts.length > 2) {
			this.patronymic = name(String.join(" ", Arrays.copyOfRange(parts, 2, parts.length)), column);
		}
	}

	private @Nullable String name(String value, String column) {
		if (value.length() > 100) {
			this.issues.add(new Issue(this.number, column, value.substring(0, 100), "TOO_LONG"));
			return null;
		}
		// "ИВАНОВА" or "иванова" as typed into old spreadsheets becomes "Иванова".
		if (value.equals(value.toUpperCase(Locale.ROOT)) || value.equals(value.toLowerCase(Locale.ROOT))) {
			return value.substring(0, 1).toUpperCase(Locale.ROOT) + value.substring(1).toLowerCase(Locale.ROOT);
		}
		return value;
	}

	private @Nullable LocalDate date(String value, String column, LocalDate today) {
		Optional<LocalDate> parsed = parseDate(value, today);
		if (parsed.isEmpty()) {
			this.issues.add(new Issue(this.number, column, value, "BAD_DATE"));
			return null;
		}
		// Nobody alive was born 120 years ago: 1900-01-01 is Excel's serial 1, an empty
		// cell formatted as a date.
		if (parsed.get().isAfter(today) || parsed.get().isBefore(today.minusYears(120))) {
			this.issues.add(new Issue(this.number, column, value, "IMPOSSIBLE_DATE"));
			return null;
		}
		return parsed.get();
	}

	static Optional<LocalDate> parseDate(String value, LocalDate today) {
		String text = value.trim();
		if (text.matches("\\d{4,5}(\\.0+)?")) {
			return Optional.of(EXCEL_EPOCH.plusDays((long) Double.parseDouble(text)));
		}
		for (DateTimeFormatter format : DATES) {
			try {
				LocalDate date = LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text, format);
				// "01.02.85": a two-digit year in the future is last century.
				if (date.isAfter(today) && text.matches("\\d{1,2}\\.\\d{1,2}\\.\\d{2}")) {
					date = date.minusYears(100);
				}
				return Optional.of(date);
			}
			catch (DateTimeParseException ex) {
				// not this format
			}
		}
		return Optional.empty();
	}

	private static @Nullable Sex sex(String value) {
		String text = value.toLowerCase(Locale.ROOT);
		if (text.startsWith("ж") || text.startsWith("f") || text.equals("w")) {
			return Sex.F;
		}
		if (text.startsWith("м") || text.startsWith("m")) {
			return Sex.M;
		}
		return null;
	}

	private void phones(String value, String column) {
		for (String typed : value.split("[,;/]")) {
			if (typed.isBlank()) {
				continue;
			}
			Optional<PhoneNumber> phone = PhoneNumber.parse(typed.trim());
			if (phone.isEmpty()) {
				this.issues.add(new Issue(this.number, column, typed.trim(), "BAD_PHONE"));
			}
			else if (!this.phones.contains(phone.get().e164())) {
				this.phones.add(phone.get().e164());
			}
		}
	}

	private void email(String value, String column) {
		if (!value.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") || value.length() > 254) {
			this.issues.add(new Issue(this.number, column, value, "BAD_EMAIL"));
			return;
		}
		this.email = value.toLowerCase(Locale.ROOT);
	}

}
