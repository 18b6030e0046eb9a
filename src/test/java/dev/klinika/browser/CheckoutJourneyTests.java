package dev.klinika.browser;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The desk tablet at 360 px: a visit done but not billed is checked out from its list,
 * part of it in cash with the change shown as the cash given is typed and the rest on the
 * card; the bill turns paid, and the cash desk's drawer expects the cash taken.
 */
class CheckoutJourneyTests extends BrowserTest {

	@Autowired
	JdbcClient jdbc;

	@Test
	void aVisitIsCheckedOutInCashAndCardOnAPhoneAndTheDrawerExpectsTheCash() {
		long branch = this.jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin'
				""").query(Long.class).single();
		this.jdbc.sql("""
				insert into cash_shift (branch_id, currency, opened_by, opened_at, opening_balance)
				select :branch, 'RUB', 'admin', now(), 0
				 where not exists (select 1 from cash_shift where branch_id = :branch and closed_at is null)
				""").param("branch", branch).update();
		var visit = this.jdbc
			.sql("""
					select a.id, (a.starts_at at time zone 'Europe/Moscow')::date as day from scheduling_appointment_v a
					 where a.branch_id = :branch and a.status = 'COMPLETED'
					   and not exists (select 1 from bill b where b.appointment_id = a.id)
					   and exists (select 1 from catalog_service_price_v p where p.service_id = a.service_id)
					   and not exists (select 1 from billing_package_v k where k.patient_id = a.patient_id and k.units_left > 0)
					 order by a.starts_at desc limit 1
					""")
			.param("branch", branch)
			.query()
			.singleRow();
		this.context.close();
		this.context = browser.newContext(
				new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(360, 740).setLocale("ru-RU"));
		this.page = this.context.newPage();
		this.page.setDefaultTimeout(15_000);
		logIn("admin");
		this.page.navigate(url("/billing/cash"));
		String before = this.page.locator("#expected-cash").textContent();
		this.page.navigate(url("/billing/unbilled?date=" + visit.get("day")));
		this.page.locator("#unbilled form[action='/billing/visits/" + visit.get("id") + "'] button").click();
		assertThat(this.page.locator("#bill-status")).hasText("Не оплачен");
		String total = this.page.locator("#bill-total").textContent();
		BigDecimal due = new BigDecimal(this.page.locator("#pay").getAttribute("data-due"));
		// 100 ₽ in cash from a 500 ₽ note: the change is 400 and the card takes the rest.
		this.page.locator("#pay-cash").fill("100");
		this.page.locator("#cash-given").fill("500");
		assertThat(this.page.locator("#change-due")).hasText("400,00");
		assertThat(this.page.locator("#pay-card"))
			.hasValue(due.subtract(new BigDecimal("100")).setScale(2).toPlainString());
		org.assertj.core.api.Assertions.assertThat((Integer) this.page.evaluate("document.documentElement.scrollWidth"))
			.isLessThanOrEqualTo(360);
		screenshot("checkout-360");
		this.page.locator("#pay button[type=submit]").click();
		assertThat(this.page.locator("#bill-status")).hasText("Оплачен");
		assertThat(this.page.locator("#bill-paid")).hasText(total);
		assertThat(this.page.locator("#entries tr")).hasCount(2);
		this.page.navigate(url("/billing/cash"));
		BigDecimal expected = money(before).add(new BigDecimal("100"));
		org.assertj.core.api.Assertions.assertThat(money(this.page.locator("#expected-cash").textContent()))
			.isEqualByComparingTo(expected);
		org.assertj.core.api.Assertions.assertThat((Integer) this.page.evaluate("document.documentElement.scrollWidth"))
			.isLessThanOrEqualTo(360);
		screenshot("cash-desk-360");
	}

	@Test
	void aPackageIsSoldAndItsFirstVisitIsPaidFromItOnAPhone() {
		long branch = this.jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin'
				""").query(Long.class).single();
		long patient = this.jdbc.sql("""
				select min(id) from patients_card_v where home_branch_id = :branch and live
				   and not exists (select 1 from billing_package_v k where k.patient_id = patients_card_v.id)
				""").param("branch", branch).query(Long.class).single();
		var service = this.jdbc
			.sql("""
					select s.id, s.name from catalog_service_v s where s.active
					   and exists (select 1 from catalog_service_price_v p where p.service_id = s.id and p.valid_from <= current_date)
					 order by s.id limit 1
					""")
			.query()
			.singleRow();
		String product = "Четыре визита " + System.nanoTime();
		this.jdbc.sql("""
				insert into package_product (name, kind, service_id, visits, price, validity_days, validity_from)
				values (:name, 'VISITS', :service, 4, 9000, 60, 'SALE')
				""").param("name", product).param("service", service.get("id")).update();
		this.context.close();
		this.context = browser.newContext(
				new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(360, 740).setLocale("ru-RU"));
		this.page = this.context.newPage();
		this.page.setDefaultTimeout(15_000);
		logIn("admin");
		// The sale: a bill without a visit, the package on it, paid by card.
		this.page.navigate(url("/billing/patients/" + patient));
		this.page.locator("#new-bill button").click();
		this.page.locator("#sell-package summary").click();
		this.page.locator("#sell-package select")
			.selectOption(new com.microsoft.playwright.options.SelectOption().setLabel(product + " — 9 000 ₽"));
		this.page.locator("#sell-package button").click();
		assertThat(this.page.locator("#bill-total")).hasText("9 000 ₽");
		assertThat(this.page.locator("#pay-card")).hasValue("9000.00");
		this.page.locator("#pay button[type=submit]").click();
		assertThat(this.page.locator("#bill-status")).hasText("Оплачен");
		this.page.navigate(url("/billing/patients/" + patient));
		assertThat(this.page.locator("#packages tr[data-package] .package-left")).hasText("4 из 4");
		assertThat(this.page.locator("#packages tr[data-package] .badge")).hasText("Действует");
		// The first visit: its service on a new bill, paid from the package at its share.
		this.page.locator("#new-bill button").click();
		this.page.locator("#add-service select").selectOption(String.valueOf(service.get("id")));
		this.page.locator("#add-service button").click();
		this.page.locator(".package-choice select")
			.selectOption(new com.microsoft.playwright.options.SelectOption().setIndex(1));
		this.page.locator(".package-choice button").click();
		assertThat(this.page.locator("#lines .line-amount")).hasText("2 250 ₽");
		assertThat(this.page.locator("#bill-by-package")).hasText("−2 250 ₽");
		assertThat(this.page.locator("#bill-due")).hasText("0 ₽");
		assertThat(this.page.locator("#pay button[type=submit]")).hasText("Списать с абонемента");
		org.assertj.core.api.Assertions.assertThat((Integer) this.page.evaluate("document.documentElement.scrollWidth"))
			.isLessThanOrEqualTo(360);
		screenshot("package-visit-360");
		this.page.locator("#pay button[type=submit]").click();
		assertThat(this.page.locator("#bill-status")).hasText("Оплачен");
		assertThat(this.page.locator("#entries tr")).hasCount(1);
		this.page.navigate(url("/billing/patients/" + patient));
		assertThat(this.page.locator("#packages tr[data-package] .package-left")).hasText("3 из 4");
	}

	private static BigDecimal money(String shown) {
		return new BigDecimal(shown.replaceAll("[^0-9,]", "").replace(',', '.'));
	}

}
