package dev.klinika.shared;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * A time zone as people read it: the city and the offset now ("Москва, UTC+3"), never the
 * database's name ({@code Europe/Moscow}). Templates call it as
 * {@code ${@zoneNames.of(zone)}}.
 */
@Component("zoneNames")
public class ZoneNames {

	/** The Russian names of the cities of the zones clinics here use. */
	private static final Map<String, String> RU = Map.ofEntries(Map.entry("Europe/Kaliningrad", "Калининград"),
			Map.entry("Europe/Moscow", "Москва"), Map.entry("Europe/Simferopol", "Симферополь"),
			Map.entry("Europe/Volgograd", "Волгоград"), Map.entry("Europe/Kirov", "Киров"),
			Map.entry("Europe/Astrakhan", "Астрахань"), Map.entry("Europe/Saratov", "Саратов"),
			Map.entry("Europe/Ulyanovsk", "Ульяновск"), Map.entry("Europe/Samara", "Самара"),
			Map.entry("Asia/Yekaterinburg", "Екатеринбург"), Map.entry("Asia/Omsk", "Омск"),
			Map.entry("Asia/Novosibirsk", "Новосибирск"), Map.entry("Asia/Barnaul", "Барнаул"),
			Map.entry("Asia/Tomsk", "Томск"), Map.entry("Asia/Novokuznetsk", "Новокузнецк"),
			Map.entry("Asia/Krasnoyarsk", "Красноярск"), Map.entry("Asia/Irkutsk", "Иркутск"),
			Map.entry("Asia/Chita", "Чита"), Map.entry("Asia/Yakutsk", "Якутск"),
			Map.entry("Asia/Vladivostok", "Владивосток"), Map.entry("Asia/Sakhalin", "Южно-Сахалинск"),
			Map.entry("Asia/Magadan", "Магадан"), Map.entry("Asia/Kamchatka", "Петропавловск-Камчатский"),
			Map.entry("Asia/Almaty", "Алматы"), Map.entry("Asia/Tashkent", "Ташкент"),
			Map.entry("Asia/Tbilisi", "Тбилиси"), Map.entry("Asia/Yerevan", "Ереван"), Map.entry("Asia/Baku", "Баку"),
			Map.entry("Europe/Minsk", "Минск"), Map.entry("Europe/Kiev", "Киев"), Map.entry("Europe/Kyiv", "Киев"),
			Map.entry("Europe/Berlin", "Берлин"), Map.entry("Europe/London", "Лондон"),
			Map.entry("America/New_York", "Нью-Йорк"), Map.entry("UTC", "UTC"));

	/** The zone in the reader's language, with its offset now. */
	public String of(@Nullable Object zone) {
		if (zone == null) {
			return "";
		}
		ZoneId id = zone instanceof ZoneId known ? known : ZoneId.of(zone.toString());
		return of(id, LocaleContextHolder.getLocale(), Instant.now());
	}

	public static String of(ZoneId zone, Locale locale, Instant at) {
		String id = zone.getId();
		String city = "ru".equals(locale.getLanguage()) && RU.containsKey(id) ? RU.get(id)
				: id.substring(id.lastIndexOf('/') + 1).replace('_', ' ');
		ZoneOffset offset = zone.getRules().getOffset(at);
		String utc = offset.getTotalSeconds() == 0 ? "UTC"
				: "UTC" + offset.getId().replace(":00", "").replaceFirst("^([+-])0", "$1");
		return city.equals("UTC") ? utc : city + ", " + utc;
	}

}
