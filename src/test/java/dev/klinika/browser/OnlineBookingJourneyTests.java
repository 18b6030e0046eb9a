package dev.klinika.browser;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * A patient books on a phone: service, any specialist, the first free time, name, phone
 * and consent, then the confirmation with a calendar file.
 */
class OnlineBookingJourneyTests extends BrowserTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Test
	void aPatientBooksOnAPhoneWithoutLoggingIn() {
		var clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		this.page.setViewportSize(360, 740);
		this.page.navigate(url("/book/" + clinic.branch()));
		// The bar keeps the clinic's name whole on a phone (it was empty there).
		var brand = this.page.locator(".topbar .brand span");
		assertThat(brand).isVisible();
		assertThat(brand).hasText((String) this.jdbc.sql("select name from clinic").query(String.class).single());
		org.assertj.core.api.Assertions.assertThat((Boolean) brand.evaluate("e => e.scrollWidth <= e.clientWidth"))
			.as("not cut off")
			.isTrue();
		this.page.locator(".pick a[href$='/" + clinic.plainService() + "']").click();
		assertThat(this.page.locator(".step")).containsText("Шаг 2 из 3");
		assertThat(this.page.locator(".days a.current")).isVisible();
		screenshot("online-times-360");
		String time = this.page.locator(".times button").first().textContent();
		this.page.locator(".times button").first().click();

		assertThat(this.page.locator("h1")).hasText("Ваши данные");
		assertThat(this.page.locator(".lead")).containsText(time);
		this.page.getByLabel("Имя").fill("Полина");
		this.page.getByLabel("Телефон").fill("8 (916) 777-12-34");
		// Without consent nothing is booked, and what is missing is said where it is.
		this.page.locator("#details-form button[type=submit]").click();
		assertThat(this.page.locator(".field-error")).containsText("Без согласия");
		assertThat(this.page.getByLabel("Имя")).hasValue("Полина");
		this.page.locator("input[name=consent]").check();
		screenshot("online-details-360");
		this.page.locator("#details-form button[type=submit]").click();

		assertThat(this.page.locator("h1")).hasText("Вы записаны");
		assertThat(this.page.locator("dl.facts")).containsText(time);
		screenshot("online-booked-360");
		String href = this.page.locator("#add-to-calendar").getAttribute("href");
		var ics = this.page.request().get(url(href));
		org.assertj.core.api.Assertions.assertThat(ics.text()).contains("BEGIN:VEVENT").contains("LOCATION:Филиал");
		var booked = this.jdbc.sql("""
				select a.source, ph.number from appointment a join patient_phone ph on ph.patient_id = a.patient_id
				 where a.branch_id = :branch
				""").param("branch", clinic.branch()).query().singleRow();
		org.assertj.core.api.Assertions.assertThat(booked.get("source")).isEqualTo("ONLINE");
		org.assertj.core.api.Assertions.assertThat(booked.get("number")).isEqualTo("+79167771234");
	}

}
