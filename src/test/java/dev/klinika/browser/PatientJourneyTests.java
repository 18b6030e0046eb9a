package dev.klinika.browser;

import java.util.concurrent.ThreadLocalRandom;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * A receptionist finds a caller as she types, and is stopped before creating a duplicate.
 */
class PatientJourneyTests extends BrowserTest {

	@Test
	void findsPatientsAsYouTypeAndWarnsBeforeADuplicate() {
		logIn("admin");
		String digits = "999" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));

		// A new patient, created from the search box's "nobody found".
		this.page.getByPlaceholder("Найти пациента: ФИО, телефон…").fill("Пересветова Глафира");
		this.page.keyboard().press("Enter");
		assertThat(this.page.locator("#patient-results")).containsText("пациентов нет");
		this.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Создать карточку")).click();
		assertThat(this.page.getByLabel("Фамилия")).hasValue("Пересветова");
		assertThat(this.page.getByLabel("Имя", new Page.GetByLabelOptions().setExact(true))).hasValue("Глафира");
		this.page.getByLabel("Основной телефон").fill("8 " + digits);
		this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Сохранить")).click();
		assertThat(this.page.locator(".flash.ok")).containsText("Пересветова Глафира");
		assertThat(this.page.locator(".phone.main")).hasText("+7 " + digits.substring(0, 3) + " "
				+ digits.substring(3, 6) + "-" + digits.substring(6, 8) + "-" + digits.substring(8));

		// Search as you type: a typo in the surname, then the last four digits of the
		// phone.
		this.page.navigate(url("/patients"));
		this.page.locator("#patient-results").waitFor();
		this.page.getByPlaceholder("ФИО, телефон, эл. почта или дата рождения")
			.pressSequentially("Пересвтова Гл",
					new com.microsoft.playwright.Locator.PressSequentiallyOptions().setDelay(30));
		assertThat(this.page.locator("#patient-results tbody")).containsText("Пересветова Глафира");
		assertThat(this.page.locator("#patient-results .count")).containsText("по ФИО");
		this.page.getByPlaceholder("ФИО, телефон, эл. почта или дата рождения").fill(digits.substring(6));
		assertThat(this.page.locator("#patient-results .count")).containsText("по телефону");
		assertThat(this.page.locator("#patient-results tbody")).containsText("Пересветова Глафира");
		screenshot("patients-search-1920");

		// The same phone again: a warning with the existing card, saved only when
		// confirmed.
		this.page.navigate(url("/patients/new"));
		this.page.getByLabel("Фамилия").fill("Пересветова");
		this.page.getByLabel("Имя", new Page.GetByLabelOptions().setExact(true)).fill("Глаша");
		this.page.getByLabel("Основной телефон").fill("+7" + digits);
		this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Сохранить")).click();
		assertThat(this.page.locator("#duplicates")).containsText("Пересветова Глафира");
		assertThat(this.page.locator("#duplicates")).containsText("тот же телефон");
		screenshot("patients-duplicate-1920");
		this.page.getByLabel("Это другой человек — сохранить карточку").check();
		this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Сохранить")).click();
		assertThat(this.page.locator(".flash.ok")).containsText("Пересветова Глаша");

		// The same card on a phone: nothing sticks out sideways.
		this.page.setViewportSize(360, 740);
		this.page.reload();
		screenshot("patient-card-360");
		int width = ((Number) this.page.evaluate("document.documentElement.scrollWidth")).intValue();
		org.assertj.core.api.Assertions.assertThat(width)
			.as("no horizontal page scroll at 360 px")
			.isLessThanOrEqualTo(360);
	}

}
