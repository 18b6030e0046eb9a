package dev.klinika.workspace;

import java.util.EnumSet;
import java.util.Locale;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

import dev.klinika.security.AccessRules;
import dev.klinika.security.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every menu item has its words and the hint the home page shows under it, in both
 * languages.
 */
class NavigationTextsTests {

	@Test
	void everyMenuItemHasALabelAndAHintInRussianAndEnglish() {
		Navigation navigation = new Navigation(new AccessRules());
		for (Locale locale : new Locale[] { Locale.forLanguageTag("ru"), Locale.ENGLISH }) {
			ResourceBundle messages = ResourceBundle.getBundle("messages", locale);
			navigation.forRoles(EnumSet.allOf(Role.class))
				.stream()
				.flatMap(group -> group.items().stream())
				// The home page does not link to itself.
				.filter(item -> !item.href().equals("/"))
				.forEach(item -> assertThat(messages.containsKey(item.labelKey() + ".hint"))
					.as(item.labelKey() + ".hint in " + locale)
					.isTrue());
		}
	}

}
