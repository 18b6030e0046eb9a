package dev.klinika.shared;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ZoneNamesTests {

	private static final Locale RU = Locale.forLanguageTag("ru");

	@Test
	void aZoneReadsAsItsCityAndOffsetNow() {
		Instant winter = Instant.parse("2027-01-15T12:00:00Z");
		Instant summer = Instant.parse("2027-07-15T12:00:00Z");
		assertThat(ZoneNames.of(ZoneId.of("Europe/Moscow"), RU, winter)).isEqualTo("Москва, UTC+3");
		assertThat(ZoneNames.of(ZoneId.of("Asia/Yekaterinburg"), RU, winter)).isEqualTo("Екатеринбург, UTC+5");
		assertThat(ZoneNames.of(ZoneId.of("Europe/Berlin"), RU, winter)).isEqualTo("Берлин, UTC+1");
		assertThat(ZoneNames.of(ZoneId.of("Europe/Berlin"), RU, summer)).isEqualTo("Берлин, UTC+2");
		assertThat(ZoneNames.of(ZoneId.of("Asia/Kolkata"), Locale.ENGLISH, winter)).isEqualTo("Kolkata, UTC+5:30");
		assertThat(ZoneNames.of(ZoneId.of("America/New_York"), Locale.ENGLISH, winter)).isEqualTo("New York, UTC-5");
		assertThat(ZoneNames.of(ZoneId.of("UTC"), RU, winter)).isEqualTo("UTC");
	}

}
