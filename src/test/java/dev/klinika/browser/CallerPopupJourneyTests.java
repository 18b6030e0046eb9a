package dev.klinika.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The admin sees who is calling before picking up: the PBX's webhook for a ringing call
 * reaches the open screen as a pop-up with the caller's name; an unknown number is a lead
 * the admin names from the pop-up and drags along the funnel board.
 */
class CallerPopupJourneyTests extends BrowserTest {

	@Autowired
	JdbcClient jdbc;

	@Test
	void aRingingCallPopsUpWithTheCallersNameBeforePickUp() throws Exception {
		long branch = this.jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin'
				""").query(Long.class).single();
		this.jdbc.sql("insert into phone_line (number, branch_id) values ('+74950001111', :b) on conflict do nothing")
			.param("b", branch)
			.update();
		String phone = "+7916" + String.format("%07d", (long) (Math.random() * 9_999_999));
		long patient = this.jdbc
			.sql("""
					insert into patient (surname, name, patronymic, home_branch_id) values ('Звонкова', 'Алла', 'Петровна', :b)
					returning id
					""")
			.param("b", branch)
			.query(Long.class)
			.single();
		this.jdbc.sql("insert into patient_phone (patient_id, number, main) values (:p, :n, true)")
			.param("p", patient)
			.param("n", phone)
			.update();
		logIn("admin");
		assertThat(this.page.locator("#caller-popup[data-live=true]")).hasCount(1);
		ring(phone);
		assertThat(this.page.locator("#caller-popup")).isVisible();
		assertThat(this.page.locator("#caller-popup .caller-name")).hasText("Звонкова Алла Петровна");
		assertThat(this.page.locator("#caller-popup a")).hasAttribute("href", "/patients/" + patient);
		screenshot("caller-popup");
		this.page.locator("#caller-popup button").click();
		assertThat(this.page.locator("#caller-popup")).isHidden();
		String stranger = "+7999" + String.format("%07d", (long) (Math.random() * 9_999_999));
		ring(stranger);
		assertThat(this.page.locator("#caller-popup .caller-name")).hasText("Номер не найден в базе");
		// A stranger's call is an inquiry: while it still rings the admin types the
		// caller's name and question into the pop-up, which makes the call's lead (the
		// call
		// would make it anyway once it is over).
		this.page.locator("#caller-popup input[name=name]").fill("Галина Звонарёва");
		this.page.locator("#caller-popup input[name=interest]").fill("Спрашивала цену массажа");
		screenshot("caller-popup-stranger");
		this.page.locator("#caller-popup form button[type=submit]").click();
		this.page.waitForURL(java.util.regex.Pattern.compile(".*/leads/\\d+$"));
		assertThat(this.page.locator("h1")).hasText("Галина Звонарёва, " + display(stranger));
		assertThat(this.page.locator("#lead-facts")).containsText("Спрашивала цену массажа");
		// Of the branch of the line it rang on.
		org.assertj.core.api.Assertions
			.assertThat(this.jdbc.sql("select channel || ' ' || branch_id from lead where phone = :p")
				.param("p", stranger)
				.query(String.class)
				.single())
			.isEqualTo("CALL " + branch);
		// Typing it in answered the lead; on the board, the admin drags the card on to
		// "Booked".
		this.page.navigate(url("/leads"));
		var card = this.page.locator("#lead-board [data-stage=IN_PROGRESS] article",
				new com.microsoft.playwright.Page.LocatorOptions().setHasText("Галина Звонарёва"));
		assertThat(card).hasCount(1);
		screenshot("leads-board");
		// All eight stages fit a 1920 px screen: the last column is not cut off.
		// The board redraws when leads change (its live stream): a box read while the
		// old board is swapped out is none, so it is read again once the column is back.
		var lostColumn = this.page.locator("#lead-board section[data-stage=LOST]");
		com.microsoft.playwright.options.BoundingBox lost = null;
		for (int i = 0; i < 20 && lost == null; i++) {
			assertThat(lostColumn).isVisible();
			lost = lostColumn.boundingBox();
		}
		org.assertj.core.api.Assertions.assertThat(lost).isNotNull();
		org.assertj.core.api.Assertions.assertThat(lost.x + lost.width).isLessThanOrEqualTo(1920);
		// Dropped on the column's head: a long column's middle is off the screen.
		card.dragTo(this.page.locator("#lead-board section[data-stage=BOOKED]"),
				new com.microsoft.playwright.Locator.DragToOptions().setTargetPosition(60, 15));
		assertThat(this.page.locator("#lead-board section[data-stage=BOOKED] article",
				new com.microsoft.playwright.Page.LocatorOptions().setHasText("Галина Звонарёва")))
			.hasCount(1);
		org.assertj.core.api.Assertions
			.assertThat(this.jdbc.sql("select stage || ' ' || contacted_by from lead where phone = :p")
				.param("p", stranger)
				.query(String.class)
				.single())
			.isEqualTo("BOOKED admin");
		this.page
			.locator("#lead-board section[data-stage=BOOKED] article a",
					new com.microsoft.playwright.Page.LocatorOptions().setHasText("Галина Звонарёва"))
			.click();
		assertThat(this.page.locator("#lead-history")).containsText("В работе → Записан");
		screenshot("lead");
	}

	@Autowired
	dev.klinika.leads.Leads leads;

	@Test
	void aLeadFromElsewhereAppearsOnAnOpenBoardWithoutAReload() {
		long branch = this.jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin'
				""").query(Long.class).single();
		logIn("admin");
		this.page.navigate(url("/leads"));
		assertThat(this.page.locator("#caller-popup[data-live=true]")).hasCount(1);
		String name = "Живая Заявка " + UUID.randomUUID().toString().substring(0, 4);
		// A website form arrives while the admin looks at the board.
		this.leads.take(new dev.klinika.leads.Leads.Inquiry(dev.klinika.leads.LeadChannel.FORM,
				"form:" + UUID.randomUUID(), branch, name,
				"+7916" + String.format("%07d", (long) (Math.random() * 9_999_999)), null, "Запись к неврологу", null,
				null, null, dev.klinika.leads.Leads.Utm.NONE, null, Instant.now(), null));
		assertThat(this.page.locator("#lead-board section[data-stage=NEW] article",
				new com.microsoft.playwright.Page.LocatorOptions().setHasText(name)))
			.hasCount(1);
	}

	private static String display(String e164) {
		return dev.klinika.shared.PhoneNumber.parse(e164).orElseThrow().display();
	}

	private void ring(String caller) throws Exception {
		String call = UUID.randomUUID().toString();
		String body = "{\"event_id\":\"" + call + ":1\",\"call_id\":\"" + call + "\",\"type\":\"started\",\"at\":\""
				+ Instant.now() + "\",\"caller\":\"" + caller + "\",\"called\":\"+74950001111\"}";
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec("test-pbx-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url("/api/hooks/pbx/generic")))
				.header("Content-Type", "application/json")
				.header("X-Klinika-Signature", signature)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		org.assertj.core.api.Assertions.assertThat(response.statusCode()).isEqualTo(200);
	}

}
