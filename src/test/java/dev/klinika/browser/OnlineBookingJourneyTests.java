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

	@Test
	void aPatientPaysTheDepositOnThePaymentPageAndTheDeskSeesTheVisitPrepaid() {
		var clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		this.jdbc.sql("insert into service_price (service_id, valid_from, price) values (:id, '2020-01-01', 2000)")
			.param("id", clinic.plainService())
			.update();
		this.jdbc.sql("insert into prepayment_service (service_id, amount) values (:id, 500)")
			.param("id", clinic.plainService())
			.update();
		String provider = this.jdbc.sql("select online_provider from billing_settings").query(String.class).single();
		int hours = this.jdbc.sql("select prepay_refund_hours from billing_settings").query(Integer.class).single();
		// Whatever time is first free, a cancellation until it starts refunds to the
		// card.
		this.jdbc.sql("update billing_settings set online_provider = 'SANDBOX', prepay_refund_hours = 0").update();
		try {
			this.page.setViewportSize(360, 740);
			this.page.navigate(url("/book/" + clinic.branch() + "/" + clinic.plainService()));
			String time = this.page.locator(".times button").first().textContent();
			this.page.locator(".times button").first().click();
			assertThat(this.page.locator("#prepay-note")).containsText("500");
			assertThat(this.page.locator("#details-form button[type=submit]")).hasText("Записаться и оплатить");
			this.page.getByLabel("Имя").fill("Таисия");
			this.page.getByLabel("Телефон").fill("+7 916 700-11-22");
			this.page.locator("input[name=consent]").check();
			this.page.locator("#details-form button[type=submit]").click();

			assertThat(this.page.locator("h1")).hasText("Предоплата");
			assertThat(this.page.locator("#prepay-amount")).containsText("К оплате: 500");
			assertThat(this.page.locator(".lead")).containsText(time);
			screenshot("online-prepay-360");
			this.page.locator("#pay-link").click();

			assertThat(this.page.locator("#sandbox-amount")).containsText("500");
			screenshot("online-sandbox-360");
			this.page.locator("#sandbox-pay").click();

			assertThat(this.page.locator("h1")).hasText("Вы записаны");
			assertThat(this.page.locator("dl.facts")).containsText(time);
			assertThat(this.page.locator("#prepaid")).containsText("Предоплата 500");
			assertThat(this.page.locator("#prepaid")).containsText("вернутся на карту");
			screenshot("online-prepaid-360");
			var paid = this.jdbc
				.sql("""
						select p.status, p.amount, a.status as visit from online_payment p join appointment a on a.id = p.appointment_id
						 where p.branch_id = :branch
						""")
				.param("branch", clinic.branch())
				.query()
				.singleRow();
			org.assertj.core.api.Assertions.assertThat(paid.get("status")).isEqualTo("PAID");
			org.assertj.core.api.Assertions.assertThat((java.math.BigDecimal) paid.get("amount"))
				.isEqualByComparingTo("500");
			org.assertj.core.api.Assertions.assertThat(paid.get("visit")).isEqualTo("BOOKED");

			// The desk sees the visit prepaid on the day's grid.
			this.page.setViewportSize(1280, 800);
			logIn("owner");
			var day = this.jdbc.sql("""
					select (lower(during) at time zone 'Europe/Moscow')::date from appointment where branch_id = :branch
					""").param("branch", clinic.branch()).query(java.time.LocalDate.class).single();
			this.page.navigate(url("/scheduling/day?branch=" + clinic.branch() + "&date=" + day));
			assertThat(this.page.locator("a.block")).hasCount(1);
			assertThat(this.page.locator("a.block em")).containsText("предоплачен");
		}
		finally {
			this.jdbc.sql("update billing_settings set online_provider = :p, prepay_refund_hours = :h")
				.param("p", provider)
				.param("h", hours)
				.update();
		}
	}

}
