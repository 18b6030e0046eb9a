package dev.klinika.shared;

import org.jspecify.annotations.Nullable;

/**
 * A person's name as Russian forms write it: surname, given name and, for most, a
 * patronymic. Patients and staff are named in the same three forms, here in Java and in
 * the published views ({@code patients_card_v}, {@code organization_staff_v}) in SQL.
 */
public record PersonName(String surname, String name, @Nullable String patronymic) {

	public PersonName {
		surname = surname.strip();
		name = name.strip();
		patronymic = patronymic == null || patronymic.isBlank() ? null : patronymic.strip();
	}

	/** "Иванова Мария Петровна". */
	public String full() {
		return this.surname + " " + this.name + (this.patronymic == null ? "" : " " + this.patronymic);
	}

	/** "Иванова Мария": a list's or a message's form. */
	public String brief() {
		return this.surname + " " + this.name;
	}

	/** "Иванова М. П.", as receptionists write it on the schedule. */
	public String initials() {
		return this.surname + (this.name.isEmpty() ? "" : " " + this.name.charAt(0) + ".")
				+ (this.patronymic == null ? "" : " " + this.patronymic.charAt(0) + ".");
	}

	@Override
	public String toString() {
		return full();
	}

}
