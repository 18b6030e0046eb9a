package dev.klinika.shared;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.klinika.patients.PatientDetails;

import static org.assertj.core.api.Assertions.assertThat;

class PlainTextTests {

	@Test
	void dropsBidiOverridesAndZeroWidthCharacters() {
		assertThat(PlainText.clean("Ива\u200Bнова\u202E")).isEqualTo("Иванова");
		assertThat(PlainText.clean("\uFEFF vip\u2066 ")).isEqualTo("vip");
		assertThat(PlainText.clean("Анна-Мария")).isEqualTo("Анна-Мария");
	}

	@Test
	void keepsThemOutOfACardsNamesAndTagsButNotItsNotes() {
		var details = PatientDetails.named("Пет\u202Eров", "Ив\u200Dан", 1L)
			.withPatronymic("\u200BПетрович")
			.withTags(Set.of("спи\u200Bна", "\u200B"))
			.withNotes("заметка\u200B");
		assertThat(details.surname()).isEqualTo("Петров");
		assertThat(details.name()).isEqualTo("Иван");
		assertThat(details.patronymic()).isEqualTo("Петрович");
		assertThat(details.tags()).containsExactly("спина");
		assertThat(details.notes()).isEqualTo("заметка\u200B");
	}

	@Test
	void keepsThemAndControlCharactersOutOfStaffNamesAndNulOutOfStoredText() {
		var staff = new dev.klinika.organization.StaffMember.Profile("\u202EСидоров", "Пётр\u0000", "\u200B",
				"Врач\u0007", null, null, Set.of(), Set.of());
		assertThat(staff.surname()).isEqualTo("Сидоров");
		assertThat(staff.name()).isEqualTo("Пётр");
		assertThat(staff.patronymic()).isEmpty();
		assertThat(staff.position()).isEqualTo("Врач");
		assertThat(PlainText.storable("a\u0000b\u202E")).isEqualTo("ab\u202E");
	}

}
