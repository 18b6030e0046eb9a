package dev.klinika.patients;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a column of an imported table holds, recognised from the headers clinics use. */
enum ImportField {

	SKIP(), FULL_NAME("фио", "пациент", "клиент", "фамилияимяотчество", "fullname", "patient", "client", "name"),
	SURNAME("фамилия", "surname", "lastname", "familyname"), NAME("имя", "firstname", "givenname"),
	PATRONYMIC("отчество", "patronymic", "middlename"),
	BIRTH_DATE("датарождения", "деньрождения", "др", "birthdate", "dateofbirth", "dob", "birthday"),
	SEX("пол", "sex", "gender"),
	PHONE("телефон", "тел", "мобильный", "мобильныйтелефон", "сотовый", "номертелефона", "phone", "mobile", "telephone",
			"phonenumber"),
	PHONE2("телефон2", "доптелефон", "дополнительныйтелефон", "домашнийтелефон", "phone2", "otherphone"),
	EMAIL("email", "почта", "электроннаяпочта", "эпочта", "емейл", "имейл", "mail"),
	TAGS("метки", "теги", "тэги", "группа", "tags", "labels"),
	NOTES("примечание", "примечания", "комментарий", "заметки", "notes", "comment", "comments");

	private final List<String> headers;

	ImportField(String... headers) {
		this.headers = Arrays.asList(headers);
	}

	/** The field a header names: "Дата рождения", "E-mail", "ФИО пациента" all work. */
	public static ImportField forHeader(String header) {
		String key = header.toLowerCase(Locale.ROOT).replace('ё', 'е').replaceAll("[^\\p{L}\\p{N}]", "");
		Optional<ImportField> exact = Arrays.stream(values()).filter(field -> field.headers.contains(key)).findFirst();
		if (exact.isPresent()) {
			return exact.get();
		}
		// "ФИО пациента", "Телефон (мобильный)": a known header at the start.
		return Arrays.stream(values())
			.filter(field -> field != SKIP)
			.filter(field -> field.headers.stream().anyMatch(known -> known.length() >= 3 && key.startsWith(known)))
			.findFirst()
			.orElse(SKIP);
	}

}
