package dev.klinika.messaging;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Placeholders filled, unknown ones named, and no doubled full stop after initials. */
class MessageTemplatesTests {

	@Test
	void fillsKnownPlaceholdersAndKeepsOneFullStopAfterInitials() {
		assertThat(MessageTemplates.render("{name}, ждём вас в {time}, {staff}. До встречи!",
				Map.of("name", "Мария Петровна", "time", "10:00", "staff", "Морозова Е.С.")))
			.isEqualTo("Мария Петровна, ждём вас в 10:00, Морозова Е.С. До встречи!");
		assertThat(MessageTemplates.render("{staff}", Map.of("staff", "Морозова Е.С."))).isEqualTo("Морозова Е.С.");
		assertThat(MessageTemplates.render("{date}...", Map.of("date", "1 декабря"))).isEqualTo("1 декабря...");
	}

	@Test
	void namesEveryBraceThatIsNotAKnownPlaceholder() {
		assertThat(MessageTemplates.unknown("{name} {doctor} {{time}} { } {link}")).containsExactly("{doctor}",
				"{{time}}", "{", "}");
		assertThat(MessageTemplates.unknown("{name}, {date} в {time}: {link}")).isEmpty();
	}

}
