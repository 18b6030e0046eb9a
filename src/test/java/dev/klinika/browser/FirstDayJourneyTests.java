package dev.klinika.browser;

import java.util.UUID;

import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * An administrator's first minutes: log in, read Russian, switch to English, add a
 * service.
 */
class FirstDayJourneyTests extends BrowserTest {

	@Test
	void adminLogsInSwitchesLanguageAndCreatesAService() {
		logIn("admin");
		assertThat(this.page.locator("h1")).containsText("Здравствуйте, Анна Игоревна Лебедева!");
		assertThat(this.page.locator("html")).hasAttribute("lang", "ru");
		screenshot("home-admin-1920");

		this.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("EN").setExact(true)).click();
		assertThat(this.page.locator("h1")).containsText("Hello, Анна Игоревна Лебедева!");

		this.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Services").setExact(true))
			.first()
			.click();
		assertThat(this.page.locator("h1")).hasText("Services");
		screenshot("services-1920");
		this.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New service")).click();

		String code = "B-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
		this.page.getByLabel("Code").fill(code);
		this.page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Массаж стоп");
		this.page.getByLabel("Specialty")
			.selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Массаж"));
		this.page.getByLabel("Duration, min").fill("25");
		this.page.getByLabel("Price, RUB").fill("1800");
		this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
		assertThat(this.page.locator(".flash.ok")).hasText("Service “Массаж стоп” added.");
		assertThat(this.page.locator("#prices")).containsText("1 800");
		screenshot("service-created-1920");
	}

	@Test
	void showsAFieldErrorForABadService() {
		logIn("admin");
		this.page.navigate(url("/catalog/services/new"));
		this.page.getByLabel("Код").fill("BAD CODE");
		this.page.getByLabel("Название", new Page.GetByLabelOptions().setExact(true)).fill("Плохая услуга");
		this.page.getByLabel("Длительность, мин").fill("0");
		this.page.getByLabel("Цена, RUB").fill("-100");
		this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Сохранить")).click();
		assertThat(this.page.locator("#code-error")).hasText("Код — буквы, цифры и знаки . _ / - без пробелов.");
		assertThat(this.page.locator("#durationMinutes-error")).hasText("Длительность — от 1 до 1440 минут.");
		assertThat(this.page.locator("#price-error")).hasText("Цена не может быть отрицательной.");
		assertThat(this.page.locator("#specialtyId-error")).hasText("Заполните это поле.");
		assertThat(this.page.getByLabel("Название", new Page.GetByLabelOptions().setExact(true)))
			.hasValue("Плохая услуга");
		screenshot("service-errors-1920");
	}

	@Test
	void showsErrorPagesInTheLayoutWithoutInternals() {
		logIn("admin");
		var missing = this.page.navigate(url("/no/such/page"));
		org.assertj.core.api.Assertions.assertThat(missing.status()).isEqualTo(404);
		assertThat(this.page.locator("h1")).hasText("Страница не найдена");
		assertThat(this.page.locator("#sidenav")).isVisible();
		var forbidden = this.page.navigate(url("/security/users"));
		org.assertj.core.api.Assertions.assertThat(forbidden.status()).isEqualTo(403);
		assertThat(this.page.locator("h1")).hasText("Нет доступа");
		var bad = this.page.navigate(url("/catalog/services?category=abc"));
		org.assertj.core.api.Assertions.assertThat(bad.status()).isEqualTo(404);
		org.assertj.core.api.Assertions.assertThat(this.page.content()).doesNotContain("Exception", "at dev.klinika");
		screenshot("error-403-1920");
	}

	@Test
	void worksOnAPhoneWidthScreen() {
		this.context.close();
		this.context = browser
			.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(360, 740));
		this.page = this.context.newPage();
		logIn("owner");
		// The owner's home draws the week's leads by source with Chart.js from its
		// WebJar.
		this.page.waitForFunction("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))");
		screenshot("home-owner-360");
		// The top bar keeps a way to the patients' search, and the branch choice is
		// readable (it was squeezed to "Все м").
		assertThat(this.page.locator("#phone-search")).isVisible();
		org.assertj.core.api.Assertions.assertThat(this.page.locator("#branch-select").boundingBox().width)
			.isGreaterThan(110);
		org.assertj.core.api.Assertions.assertThat((Integer) this.page.evaluate("document.documentElement.scrollWidth"))
			.isLessThanOrEqualTo(360);
		assertThat(this.page.locator("#sidenav")).isHidden();
		this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Меню")).click();
		assertThat(this.page.locator("#sidenav")).isVisible();
		this.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Сотрудники").setExact(true)).click();
		assertThat(this.page.locator("h1")).hasText("Сотрудники");
		this.page.getByPlaceholder("ФИО, должность, телефон…").fill("Невролог");
		// Two of the demo staff are neurologists: the list narrows as the search is
		// typed.
		assertThat(this.page.locator("#staff-rows .count")).hasText("Найдено: 2");
		assertThat(this.page.locator("#staff-rows tbody tr")).hasCount(2);
		org.assertj.core.api.Assertions.assertThat(this.page.url()).contains("q=");
		screenshot("staff-360");
		int width = ((Number) this.page.evaluate("document.documentElement.scrollWidth")).intValue();
		org.assertj.core.api.Assertions.assertThat(width)
			.as("no horizontal page scroll at 360 px")
			.isLessThanOrEqualTo(360);
	}

}
