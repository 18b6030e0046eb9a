package dev.klinika.browser;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.messaging.VisitLinks;
import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * A patient confirms and then cancels a visit from the reminder's link on a phone; the
 * manager finds the messages, fixes a template that named an unknown placeholder, and
 * reads the inbox.
 */
class MessagingJourneyTests extends BrowserTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.Availability availability;

	@Autowired
	VisitLinks links;

	@Test
	void aPatientConfirmsThenCancelsFromTheLinkOnAPhone() {
		var clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		long patient = this.jdbc
			.sql("""
					insert into patient (surname, name, patronymic, home_branch_id) values ('Ссылкина', 'Вера', 'Ивановна', :b)
					returning id
					""")
			.param("b", clinic.branch())
			.query(Long.class)
			.single();
		this.jdbc.sql("insert into patient_phone (patient_id, number, main) values (:p, '+79165550011', true)")
			.param("p", patient)
			.update();
		LocalDate from = LocalDate.now().plusDays(2);
		var start = this.availability
			.freeSlots(clinic.first(), clinic.branch(), clinic.plainService(), from, from.plusDays(7))
			.get(0);
		var visit = this.booking
			.book(new Booking.Request(patient, clinic.plainService(), clinic.first(), clinic.branch(), start, null));
		String link = "/m/" + this.links.visitToken(visit.id(), visit.time().start());

		this.page.setViewportSize(360, 740);
		this.page.navigate(url(link));
		assertThat(this.page.locator("h1")).hasText("Ваш визит");
		assertThat(this.page.locator("dl.facts")).containsText("Тестовая, 1");
		screenshot("visit-link-360");
		this.page.locator("#confirm").click();
		assertThat(this.page.locator("#link-done")).containsText("Визит подтверждён");
		assertThat(this.page.locator("#visit-status")).hasText("Подтвердил");
		this.page.locator("#cancel").click();
		assertThat(this.page.locator("#link-done")).containsText("Запись отменена");
		assertThat(this.page.locator("#cancel")).hasCount(0);
		screenshot("visit-cancelled-360");
		org.assertj.core.api.Assertions
			.assertThat(this.jdbc.sql("select status from appointment where id = :id")
				.param("id", visit.id())
				.query(String.class)
				.single())
			.isEqualTo("CANCELLED");
	}

	@Test
	void theManagerFixesATemplateAndReadsTheMessagesAndTheInbox() {
		logIn("manager");
		this.page.navigate(url("/messaging/templates"));
		this.page.locator("#templates a").first().click();
		String original = this.page.locator("#t-body").inputValue();
		this.page.locator("#t-body").fill("{name}, ждём вас {date} в {time} у {doctor}");
		this.page.locator("button[value=save]").click();
		assertThat(this.page.locator("#template-error")).containsText("{doctor}");
		assertThat(this.page.locator("#t-body")).hasValue("{name}, ждём вас {date} в {time} у {doctor}");
		this.page.locator("#t-body").fill(original);
		this.page.locator("button[value=preview]").click();
		assertThat(this.page.locator("#preview .message-body")).not().containsText("{");
		screenshot("template-preview");

		this.page.navigate(url("/messaging"));
		assertThat(this.page.locator("#messages tbody tr").first()).isVisible();
		this.page.locator("#message-filter select[name=status]").selectOption("PENDING");
		this.page.locator("#message-filter button").click();
		assertThat(this.page.locator("#messages tbody tr").first()).containsText("В очереди");
		this.page.screenshot(
				new com.microsoft.playwright.Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("messages.png")));
		this.page.navigate(url("/messaging/inbox?all=true"));
		assertThat(this.page.locator("#inbox")).containsText("Неизвестный отправитель");
		this.page.screenshot(
				new com.microsoft.playwright.Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("inbox.png")));
	}

}
