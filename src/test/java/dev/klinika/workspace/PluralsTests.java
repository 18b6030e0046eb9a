package dev.klinika.workspace;

import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PluralsTests {

	private static final Locale RU = Locale.forLanguageTag("ru");

	@Test
	void followsRussianPluralRules() {
		assertThat(Plurals.category(1, RU)).isEqualTo("one");
		assertThat(Plurals.category(21, RU)).isEqualTo("one");
		assertThat(Plurals.category(2, RU)).isEqualTo("few");
		assertThat(Plurals.category(24, RU)).isEqualTo("few");
		assertThat(Plurals.category(5, RU)).isEqualTo("many");
		assertThat(Plurals.category(11, RU)).isEqualTo("many");
		assertThat(Plurals.category(12, RU)).isEqualTo("many");
		assertThat(Plurals.category(111, RU)).isEqualTo("many");
	}

	@Test
	void followsEnglishPluralRules() {
		assertThat(Plurals.category(1, Locale.ENGLISH)).isEqualTo("one");
		assertThat(Plurals.category(2, Locale.ENGLISH)).isEqualTo("many");
	}

	@Test
	void keepsRedirectsOnThisSite() {
		assertThat(LocalRedirect.pathOf("http://localhost:8080/catalog/services?q=1"))
			.isEqualTo("/catalog/services?q=1");
		assertThat(LocalRedirect.pathOf("https://evil.example/phish")).isEqualTo("/phish");
		assertThat(LocalRedirect.pathOf("//evil.example/x")).isEqualTo("/x");
		assertThat(LocalRedirect.pathOf("not a uri")).isEqualTo("/");
		assertThat(LocalRedirect.pathOf(null)).isEqualTo("/");
	}

}
