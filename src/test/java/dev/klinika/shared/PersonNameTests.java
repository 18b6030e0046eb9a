package dev.klinika.shared;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PersonNameTests {

	@Test
	void writesTheThreeFormsOfANameWithAndWithoutAPatronymic() {
		PersonName full = new PersonName(" Иванова ", "Мария", "Петровна ");
		assertThat(full.full()).isEqualTo("Иванова Мария Петровна");
		assertThat(full.brief()).isEqualTo("Иванова Мария");
		assertThat(full.initials()).isEqualTo("Иванова М. П.");
		PersonName none = new PersonName("Смит", "Джон", " ");
		assertThat(none.patronymic()).isNull();
		assertThat(none.full()).isEqualTo("Смит Джон");
		assertThat(none.initials()).isEqualTo("Смит Д.");
		assertThat(none).hasToString("Смит Джон");
	}

}
