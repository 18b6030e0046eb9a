package dev.klinika.browser;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * A manager brings the clinic's Excel list: checks it, sees the bad rows, imports the
 * good ones.
 */
class ImportJourneyTests extends BrowserTest {

	@Test
	void uploadsChecksAndImportsTheValidRows() throws Exception {
		int seed = ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
		Path file = Path.of("target/import-journey.csv");
		Files.writeString(file,
				"ФИО;Телефон;Дата рождения\n" + "Импортова Алла Петровна;8 998 " + seed + ";12.04.1980\n"
						+ "Загрузкин Олег;+7998" + (seed + 1) + ";1975-01-02\n" + "Ошибкина Ева;позвонить;01.01.1990\n",
				StandardCharsets.UTF_8);
		logIn("owner");
		this.page.navigate(url("/patients"));
		this.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Загрузка базы")).click();
		this.page.setInputFiles("#file", file);
		this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Загрузить и проверить столбцы"))
			.click();
		assertThat(this.page.locator("h1")).hasText("import-journey.csv");
		assertThat(this.page.getByLabel("ФИО", new Page.GetByLabelOptions().setExact(true))).hasValue("FULL_NAME");
		this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Проверить файл")).click();
		assertThat(this.page.locator(".import-report")).containsText("Проверка закончена");
		assertThat(this.page.locator("main")).containsText("не похоже на номер телефона");
		screenshot("import-report-1920");
		this.page.getByText("Загрузить только верные строки").click();
		this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Загрузить 2 карточки")).click();
		assertThat(this.page.locator(".import-report h2")).hasText("Загрузка закончена",
				new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
		this.page.navigate(url("/patients?q=" + (seed + 1)));
		assertThat(this.page.locator("#patient-results")).containsText("Загрузкин Олег");
	}

}
