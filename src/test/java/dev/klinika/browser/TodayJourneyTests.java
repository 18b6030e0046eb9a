package dev.klinika.browser;

import java.util.List;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.BoundingBox;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The first morning: the receptionist's home page shows the day's groups side by side at
 * 1920 px with their counts, and from a card "Записать" opens the grid that books that
 * patient, down to the booking form with the patient chosen.
 */
class TodayJourneyTests extends BrowserTest {

	@Autowired
	JdbcClient jdbc;

	@Test
	void theReceptionsDayStandsInGroupsSideBySideWithTheirCounts() {
		logIn("admin");
		Locator groups = this.page.locator("#reception-today .today-groups > .today-group");
		assertThat(groups).hasCount(6);
		List<String> titles = groups.locator("h3 > span:first-child").allTextContents();
		org.assertj.core.api.Assertions.assertThat(titles)
			.containsExactly("Опаздывают", "Ждём", "Пришли", "На приёме", "Приём завершён", "Не пришли");
		// At 1920 px the first groups share one row, left to right, and the page uses the
		// width instead of stopping at 1280 px.
		BoundingBox first = groups.nth(0).boundingBox();
		BoundingBox second = groups.nth(1).boundingBox();
		BoundingBox third = groups.nth(2).boundingBox();
		org.assertj.core.api.Assertions.assertThat(second.y).isEqualTo(first.y);
		org.assertj.core.api.Assertions.assertThat(third.y).isEqualTo(first.y);
		org.assertj.core.api.Assertions.assertThat(second.x).isGreaterThan(first.x + first.width - 1);
		BoundingBox section = this.page.locator("#reception-today").boundingBox();
		org.assertj.core.api.Assertions.assertThat(section.width).isGreaterThan(1500);
		// Each group's count is the number of its visits (lists stop at eight).
		for (int i = 0; i < 6; i++) {
			Locator group = groups.nth(i);
			int count = Integer.parseInt(group.locator(".group-count").textContent().strip());
			org.assertj.core.api.Assertions.assertThat(group.locator("li[data-visit]").count())
				.isEqualTo(Math.min(count, 8));
		}
		screenshot("home-admin-1920");
	}

	@Test
	void aReceptionistBooksFromTheCardThroughTheGridItOpens() {
		long branch = this.jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin'
				""").query(Long.class).single();
		var card = this.jdbc.sql("""
				select id, surname || ' ' || name || coalesce(' ' || patronymic, '') as name from patient
				 where home_branch_id = :branch and erased_at is null and merged_into is null order by id desc limit 1
				""").param("branch", branch).query().singleRow();
		logIn("admin");
		this.page.navigate(url("/patients/" + card.get("id")));
		Locator book = this.page.locator("#book-patient");
		assertThat(book).hasText("Записать");
		// The button stands in the header, above the visits.
		org.assertj.core.api.Assertions.assertThat(book.boundingBox().y)
			.isLessThan(this.page.locator("#visits").boundingBox().y);
		book.click();
		assertThat(this.page.locator("#book-for")).containsText("Запись пациента: " + card.get("name"));
		this.page.locator("#day-grid").waitFor();
		String today = this.page.url();
		for (int day = 1; day < 7 && this.page.locator("#day-grid a.free").count() == 0; day++) {
			// Late in the evening today has no free time left: a next day has.
			this.page.navigate(
					today + "&date=" + java.time.LocalDate.now(java.time.ZoneId.of("Europe/Moscow")).plusDays(day));
			assertThat(this.page.locator("#book-for")).containsText("Запись пациента: " + card.get("name"));
		}
		this.page.locator("#day-grid a.free").first().click();
		assertThat(this.page.locator("h1")).isVisible();
		org.assertj.core.api.Assertions.assertThat(this.page.url()).contains("patient=" + card.get("id"));
		assertThat(this.page.locator("body")).containsText((String) card.get("name"));
		screenshot("book-from-card-1920");
	}

}
