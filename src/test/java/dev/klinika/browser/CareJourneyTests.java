package dev.klinika.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.BoundingBox;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manager prescribes a course of massage on a completed visit, the patient accepts, the
 * card shows the pathway as a line of steps in their order (wrapping on a phone), and the
 * consultant's list has it with nothing attended yet.
 */
class CareJourneyTests extends BrowserTest {

	@Autowired
	JdbcClient jdbc;

	@Test
	void aPrescriptionBecomesALineOfStepsOnTheCardAndARowOfTheList() {
		long visit = this.jdbc.sql("""
				select a.id from appointment a
				 where a.status = 'COMPLETED' and upper(a.during) < now() order by upper(a.during) desc limit 1
				""").query(Long.class).single();
		long patient = this.jdbc.sql("select patient_id from appointment where id = :id")
			.param("id", visit)
			.query(Long.class)
			.single();
		long massage = this.jdbc.sql("select id from service where code = 'MAS-BACK'").query(Long.class).single();
		logIn("manager");
		this.page.navigate(url("/scheduling/appointments/" + visit));
		this.page.locator("#prescribe").click();
		this.page.getByLabel("Услуга или специалист 1").selectOption("s" + massage);
		this.page.getByLabel("Сеансов 1").fill("10");
		this.page.getByLabel("В неделю 1").fill("2");
		this.page.locator("#prescribe-form button[type=submit]").click();
		assertThat(this.page.locator("#pathway-status")).hasText("Предложен");
		assertThat(this.page.locator("main")).containsText("Массаж спины");
		String path = this.page.url();
		long pathway = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
		this.page.getByText("Пациент согласен").click();
		assertThat(this.page.locator("#pathway-status")).hasText("Принят");

		this.page.navigate(url("/patients/" + patient));
		Locator line = this.page.locator("article[data-pathway=\"" + pathway + "\"]");
		assertThat(line).isVisible();
		assertThat(line.locator("[data-kind=BOOKED]")).containsText("Записан: 0 из 10");
		assertThat(line).containsText("Следующий шаг");
		String[] kinds = { "PRESCRIBED", "ACCEPTED", "BOOKED", "ATTENDED", "END" };
		BoundingBox previous = null;
		for (String kind : kinds) {
			BoundingBox box = line.locator("[data-kind=" + kind + "]").boundingBox();
			if (previous != null) {
				assertThat(box.x).as(kind + " right of the step before it").isGreaterThan(previous.x);
				assertThat(box.y).as(kind + " on the same row").isEqualTo(previous.y);
			}
			previous = box;
		}
		screenshot("care-card-1920");
		this.page.setViewportSize(390, 844);
		BoundingBox first = line.locator("[data-kind=PRESCRIBED]").boundingBox();
		BoundingBox last = line.locator("[data-kind=END]").boundingBox();
		assertThat(last.y).as("the steps wrap on a phone").isGreaterThan(first.y);
		screenshot("care-card-390");

		this.page.setViewportSize(1920, 1080);
		this.page.navigate(url("/care/pathways?who=all&status=ACCEPTED"));
		Locator row = this.page.locator("#pathways tr[data-pathway=\"" + pathway + "\"]");
		while (row.count() == 0 && this.page
			.locator(".pager a", new com.microsoft.playwright.Page.LocatorOptions().setHasText("Дальше"))
			.count() > 0) {
			this.page.locator(".pager a", new com.microsoft.playwright.Page.LocatorOptions().setHasText("Дальше"))
				.click();
		}
		assertThat(row).containsText("0 / 10");
		assertThat(row).containsText("Массаж спины — осталось 10 из 10");
		assertThat(row.locator("button", new Locator.LocatorOptions().setHasText("Написать"))).isVisible();
		screenshot("care-list-1920");
	}

}
