package dev.klinika.messaging;

import java.time.DayOfWeek;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.WorkPatterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Patients' one-tap links, the providers' webhooks, and the staff's screens: templates
 * refused with the unknown placeholder named, replies through the inbox, the messages
 * list.
 */
@KlinikaTest
class MessagingScreensTests {

	@Autowired
	MessageQueries queries;

	@org.junit.jupiter.api.Test
	void noRussianTemplatePutsTheClinicsOrBranchsNameWhereRussianWantsAnotherCase() {
		java.util.List<String> bodies = this.jdbc.sql("select body from message_template where locale = 'ru'")
			.query(String.class)
			.list();
		assertThat(bodies).isNotEmpty()
			.noneMatch(body -> body.matches("(?s).*(выбрали|в|во|для|у|от) \\{(clinic|branch)\\}.*"))
			.anyMatch(body -> body.contains("спасибо за визит"));
	}

	@org.junit.jupiter.api.Test
	void theCountsAreTheLoginsBranchesToo() {
		long mine = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
		long other = this.jdbc.sql("select max(id) from branch where id <> :m")
			.param("m", mine)
			.query(Long.class)
			.single();
		long theirs = this.jdbc.sql("""
				insert into patient (surname, name, home_branch_id) values ('Чужая', 'Сообщение', :o) returning id
				""").param("o", other).query(Long.class).single();
		var here = dev.klinika.security.BranchScope.of(java.util.Set.of(mine));
		long failedBefore = this.queries.counts(here).get(MessageStatus.FAILED);
		long everywhereBefore = this.queries.counts(dev.klinika.security.BranchScope.everything())
			.get(MessageStatus.FAILED);
		int waitingBefore = this.inbox.unhandled(here);
		this.jdbc
			.sql("""
					insert into outbox_message (idempotency_key, patient_id, purpose, event, channel, recipient, body, due_at, status)
					values (:key, :p, 'SERVICE', 'REPLY', 'SMS', '+79160000000', 'x', now(), 'FAILED')
					""")
			.param("key", "scope:" + java.util.UUID.randomUUID())
			.param("p", theirs)
			.update();
		this.inbox.receive(ChannelKind.SMS, "scope:" + java.util.UUID.randomUUID(), "+79160000000", "Вопрос", theirs);
		assertThat(this.queries.counts(here).get(MessageStatus.FAILED)).isEqualTo(failedBefore);
		assertThat(this.inbox.unhandled(here)).isEqualTo(waitingBefore);
		assertThat(this.queries.counts(dev.klinika.security.BranchScope.everything()).get(MessageStatus.FAILED))
			.isEqualTo(everywhereBefore + 1);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Booking booking;

	@Autowired
	VisitLinks links;

	@Autowired
	TelegramUpdates telegram;

	@Autowired
	Inbox inbox;

	MessagingFixture fixture;

	@BeforeEach
	void clinic() {
		this.fixture = new MessagingFixture(this.jdbc, this.patterns, this.booking);
	}

	@Test
	void aPatientConfirmsWithOneTapAndTheVisitIsConfirmed() throws Exception {
		Appointment visit = this.fixture.visit(this.fixture.patient(MessagingFixture.mobile(), null, null), 3,
				DayOfWeek.MONDAY, 10, 0);
		String token = this.links.visitToken(visit.id(), visit.time().start());
		this.mvc.perform(get("/m/{t}", token))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"confirm\"")))
			.andExpect(content().string(containsString("Тестовая, 1")));
		this.mvc.perform(post("/m/{t}/confirm", token)).andExpect(status().isForbidden());
		this.mvc.perform(post("/m/{t}/confirm", token).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"link-done\"")));
		assertThat(this.booking.find(visit.id()).orElseThrow().status().name()).isEqualTo("CONFIRMED");
		// Twice is the same as once.
		this.mvc.perform(post("/m/{t}/confirm", token).with(csrf())).andExpect(status().isOk());
		assertThat(this.booking.find(visit.id()).orElseThrow().status().name()).isEqualTo("CONFIRMED");
	}

	@Test
	void aPatientCancelsTheTimeIsFreeTheRemindersAreWithdrawnAndTheAdminsGetATask() throws Exception {
		long patient = this.fixture.patient(MessagingFixture.mobile(), null, null);
		Appointment visit = this.fixture.visit(patient, 3, DayOfWeek.TUESDAY, 11, 0);
		String token = this.links.visitToken(visit.id(), visit.time().start());
		this.mvc.perform(post("/m/{t}/cancel", token).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"link-done\"")));
		assertThat(this.booking.find(visit.id()).orElseThrow().status().name()).isEqualTo("CANCELLED");
		assertThat(this.fixture.messages(visit.id())).filteredOn(row -> row.event().equals("REMINDER"))
			.allSatisfy(row -> assertThat(row.status()).isEqualTo("WITHDRAWN"));
		assertThat(this.jdbc.sql("""
				select count(*) from task where cause_type = 'appointment' and cause_id = :a and owner_role = 'ADMIN'
				""").param("a", visit.id()).query(Integer.class).single()).isEqualTo(1);
		// The time is free: someone else can have it.
		long other = this.fixture.patient(MessagingFixture.mobile(), null, null);
		assertThat(this.fixture.visit(other, 3, DayOfWeek.TUESDAY, 11, 0).id()).isNotEqualTo(visit.id());
	}

	@Test
	void aForgedOrAlteredLinkIsRefusedAndAnExpiredOneSaysSo() throws Exception {
		Appointment visit = this.fixture.visit(this.fixture.patient(MessagingFixture.mobile(), null, null), 3,
				DayOfWeek.WEDNESDAY, 12, 0);
		String token = this.links.visitToken(visit.id(), visit.time().start());
		String[] parts = token.split("\\.");
		this.mvc.perform(get("/m/{t}", (visit.id() + 1) + "." + parts[1] + "." + parts[2]))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/m/{t}", parts[0] + "." + parts[1] + ".AAAAAAAAAAAAAAAA"))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/m/{t}", "garbage")).andExpect(status().isForbidden());
		this.mvc.perform(post("/m/{t}/cancel", parts[0] + ".zzzz." + parts[2]).with(csrf()))
			.andExpect(status().isForbidden());
		String expired = this.links.visitToken(visit.id(), Instant.now().minusSeconds(60));
		this.mvc.perform(get("/m/{t}", expired))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Ссылка больше не действует")));
		this.mvc.perform(post("/m/{t}/cancel", expired).with(csrf())).andExpect(status().isOk());
		assertThat(this.booking.find(visit.id()).orElseThrow().status().name()).isEqualTo("BOOKED");
	}

	@Test
	void anUnsubscribeLinkEndsMarketingOrEverything() throws Exception {
		long patient = this.fixture.patient(MessagingFixture.mobile(), null, null);
		String token = this.links.unsubscribeToken(patient);
		this.mvc.perform(get("/m/u/{t}", token)).andExpect(status().isOk());
		this.mvc.perform(post("/m/u/{t}", token).param("scope", "MARKETING").with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"unsubscribed\"")));
		assertThat(this.inbox.optOuts(patient)).containsExactly("MARKETING");
		this.mvc.perform(post("/m/u/{t}", (patient + 1) + "." + token.split("\\.")[1]).with(csrf()))
			.andExpect(status().isForbidden());
	}

	@Test
	void aTemplateWithAnUnknownPlaceholderIsRefusedNamingItAndNothingChanges() throws Exception {
		long id = this.jdbc.sql("""
				select id from message_template where event = 'REMINDER' and channel = 'SMS' and locale = 'ru'
				""").query(Long.class).single();
		String before = body(id);
		this.mvc
			.perform(post("/messaging/templates/{id}", id).with(this.logins.as("manager"))
				.with(csrf())
				.param("body", "{name}, ждём вас {date} у {doctor} {{time}}")
				.param("version", "0"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Неизвестные подстановки: {doctor}, {{time}}")));
		assertThat(body(id)).isEqualTo(before);
		this.mvc
			.perform(post("/messaging/templates/{id}", id).with(this.logins.as("manager"))
				.with(csrf())
				.param("body", "{name}, ждём вас {date} в {time}. {link}")
				.param("version", "0")
				.param("action", "preview"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"sms-count\"")))
			.andExpect(content().string(matchesPattern(
					"(?s).*<p class=\"message-body\">[^<{}]+, ждём вас [^<{}]+ в \\d\\d:\\d\\d\\. https://clinic\\.example/m/[^<{}]+</p>.*")));
		this.mvc.perform(get("/messaging/templates").with(this.logins.as("admin"))).andExpect(status().isForbidden());
	}

	@Test
	void telegramLinksAChatByDeepLinkOnceAndRefusesForgeriesAndGarbage() throws Exception {
		long patient = this.fixture.patient(null, null, null);
		String link = this.telegram.linkFor(patient);
		String token = link.substring(link.indexOf("start=") + "start=".length());
		long chat = 700_000_000L + (long) (Math.random() * 1_000_000);
		long update = chat * 10;
		String start = "{\"update_id\":" + update + ",\"message\":{\"message_id\":1,\"chat\":{\"id\":" + chat
				+ "},\"text\":\"/start " + token + "\"}}";
		this.mvc
			.perform(post("/api/hooks/telegram").header("X-Telegram-Bot-Api-Secret-Token", "wrong")
				.contentType(MediaType.APPLICATION_JSON)
				.content(start))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.status").value(401));
		this.mvc
			.perform(post("/api/hooks/telegram").header("X-Telegram-Bot-Api-Secret-Token", "test-telegram-secret")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{not json"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		for (int i = 0; i < 2; i++) {
			this.mvc
				.perform(post("/api/hooks/telegram").header("X-Telegram-Bot-Api-Secret-Token", "test-telegram-secret")
					.contentType(MediaType.APPLICATION_JSON)
					.content(start))
				.andExpect(status().isOk());
		}
		assertThat(this.jdbc.sql("select patient_id from telegram_chat where chat_id = :c")
			.param("c", chat)
			.query(Long.class)
			.single()).isEqualTo(patient);
		this.mvc
			.perform(post("/api/hooks/telegram").header("X-Telegram-Bot-Api-Secret-Token", "test-telegram-secret")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"update_id\":" + (update + 1) + ",\"message\":{\"message_id\":2,\"chat\":{\"id\":" + chat
						+ "},\"text\":\"Можно перенести?\"}}"))
			.andExpect(status().isOk());
		assertThat(this.jdbc.sql("select body from inbound_message where patient_id = :p order by id")
			.param("p", patient)
			.query(String.class)
			.list()).containsExactly("/start " + token, "Можно перенести?");
		// The token was used once; a second chat cannot take the card with it.
		this.mvc
			.perform(post("/api/hooks/telegram").header("X-Telegram-Bot-Api-Secret-Token", "test-telegram-secret")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"update_id\":" + (update + 2) + ",\"message\":{\"message_id\":3,\"chat\":{\"id\":"
						+ (chat + 1) + "},\"text\":\"/start " + token + "\"}}"))
			.andExpect(status().isOk());
		assertThat(this.jdbc.sql("select count(*) from telegram_chat where chat_id = :c")
			.param("c", chat + 1)
			.query(Integer.class)
			.single()).isZero();
		// Reminders now prefer the chat.
		Appointment visit = this.fixture.visit(patient, 4, DayOfWeek.THURSDAY, 13, 0);
		assertThat(this.fixture.messages(visit.id())).filteredOn(row -> row.event().equals("REMINDER"))
			.allSatisfy(row -> assertThat(row.channel()).isEqualTo("TELEGRAM"));
	}

	@Test
	void longPollingTakesUpdatesOnceAndMovesTheOffsetPastThem() throws Exception {
		long patient = this.fixture.patient(null, null, null);
		String link = this.telegram.linkFor(patient);
		String token = link.substring(link.indexOf("start=") + "start=".length());
		long chat = 800_000_000L + (long) (Math.random() * 1_000_000);
		long update = chat * 10;
		this.jdbc.sql("update telegram_poll_state set next_offset = 0").update();
		try (HttpPeer api = new HttpPeer(request -> HttpPeer.Answer
			.ok("{\"ok\":true,\"result\":[{\"update_id\":" + update + ",\"message\":{\"message_id\":1,\"chat\":{\"id\":"
					+ chat + "},\"text\":\"/start " + token + "\"}}]}"))) {
			var settings = new MessagingProperties(null, null, true, null, null, null, null, null, null, null,
					new MessagingProperties.Telegram("T0KEN", "clinic_bot", api.url(""), null,
							java.time.Duration.ofSeconds(2), true),
					null);
			TelegramPolling polling = new TelegramPolling(settings,
					new TelegramSender(settings, tools.jackson.databind.json.JsonMapper.builder().build()),
					this.telegram, this.jdbc);
			assertThat(polling.poll()).isEqualTo(1);
			// Telegram repeats the update until the offset moves past it: taken once.
			assertThat(polling.poll()).isEqualTo(1);
			assertThat(api.requests.get(0).path()).isEqualTo("/botT0KEN/getUpdates");
			assertThat(api.requests.get(1).body()).contains("\"offset\":" + (update + 1));
			assertThat(this.jdbc.sql("select patient_id from telegram_chat where chat_id = :c")
				.param("c", chat)
				.query(Long.class)
				.single()).isEqualTo(patient);
			assertThat(this.jdbc.sql("select count(*) from inbound_message where provider_event_id = :e")
				.param("e", "update:" + update)
				.query(Integer.class)
				.single()).isEqualTo(1);
			api.answer(request -> new HttpPeer.Answer(502, "bad gateway", 0));
			assertThat(polling.poll()).isZero();
		}
	}

	@Test
	void smsRuStatusCallbacksMarkDeliveryOnceAndNeedTheirSecret() throws Exception {
		long patient = this.fixture.patient(MessagingFixture.mobile(), null, null);
		long message = this.jdbc
			.sql("""
					insert into outbox_message (idempotency_key, patient_id, purpose, event, channel, recipient, body, due_at,
					                            status, provider_id, sent_at)
					values (:key, :p, 'SERVICE', 'REPLY', 'SMS', '+79161112233', 'Текст', now(), 'SENT', :id, now())
					returning id
					""")
			.param("key", "test:" + patient)
			.param("p", patient)
			.param("id", "smsru-" + patient)
			.query(Long.class)
			.single();
		this.jdbc.sql("insert into outbox_part (channel, provider_id, message_id) values ('SMS', :id, :m)")
			.param("id", "smsru-" + patient)
			.param("m", message)
			.update();
		this.mvc
			.perform(post("/api/hooks/sms/smsru/{s}", "wrong").param("data[0]",
					"sms_status\nsmsru-" + patient + "\n103\n1481179462"))
			.andExpect(status().isUnauthorized());
		assertThat(statusOf(message)).isEqualTo("SENT");
		this.mvc
			.perform(post("/api/hooks/sms/smsru/{s}", "test-sms-secret")
				.param("data[0]", "sms_status\nsmsru-" + patient + "\n103\n1481179462")
				.param("data[1]", "sms_status\nunknown-id\n103\n1481179462")
				.param("data[2]", "garbage"))
			.andExpect(status().isOk())
			.andExpect(content().string("100"));
		assertThat(statusOf(message)).isEqualTo("DELIVERED");
	}

	@Test
	void aReplyFromTheInboxGoesBackThroughTheSameChannelOnceEvenIfClickedTwice() throws Exception {
		String phone = MessagingFixture.mobile();
		long patient = this.fixture.patient(phone, null, null);
		long inbound = this.inbox.receive(ChannelKind.SMS, "test:" + phone, phone, "Можно на вечер?", null)
			.orElseThrow();
		assertThat(this.inbox.receive(ChannelKind.SMS, "test:" + phone, phone, "Можно на вечер?", null)).isEmpty();
		for (int i = 0; i < 2; i++) {
			this.mvc
				.perform(post("/messaging/inbox/{id}/reply", inbound).with(this.logins.as("owner"))
					.with(csrf())
					.param("text", "Да, есть 18:30. Записать?"))
				.andExpect(status().is3xxRedirection());
		}
		assertThat(this.jdbc
			.sql("""
					select channel || ' ' || recipient || ' ' || body from outbox_message where patient_id = :p and event = 'REPLY'
					""")
			.param("p", patient)
			.query(String.class)
			.list()).containsExactly("SMS " + phone + " Да, есть 18:30. Записать?");
		this.mvc
			.perform(post("/messaging/inbox/{id}/reply", inbound).with(this.logins.as("owner"))
				.with(csrf())
				.param("text", "   "))
			.andExpect(status().is3xxRedirection());
		this.mvc.perform(get("/messaging/inbox").param("all", "true").with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Можно на вечер?")));
		this.mvc.perform(get("/messaging").with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"message-filter\"")));
		this.mvc.perform(get("/messaging/patients/{id}", patient).with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Да, есть 18:30")));
		this.mvc.perform(get("/messaging/patients/{id}", patient).with(this.logins.as("doctor")))
			.andExpect(status().isForbidden());
	}

	private String statusOf(long message) {
		return this.jdbc.sql("select status from outbox_message where id = :id")
			.param("id", message)
			.query(String.class)
			.single();
	}

	private String body(long template) {
		return this.jdbc.sql("select body from message_template where id = :id")
			.param("id", template)
			.query(String.class)
			.single();
	}

}
