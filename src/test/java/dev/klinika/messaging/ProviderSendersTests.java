package dev.klinika.messaging;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Each sender against a real peer on loopback: an SMS.ru-format gateway and the Telegram
 * Bot API as local HTTP servers, GreenMail for SMTP. Refusals are told apart from
 * failures worth retrying.
 */
class ProviderSendersTests {

	@RegisterExtension
	static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP_IMAP);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static MessagingProperties properties(MessagingProperties.SmsHttp sms,
			MessagingProperties.Telegram telegram, MessagingProperties.Email email) {
		return new MessagingProperties(null, null, false, null, null, null, null, null, null, sms, telegram, email);
	}

	private static Map<String, String> form(String body) {
		return Arrays.stream(body.split("&"))
			.map(pair -> pair.split("=", 2))
			.collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
	}

	@Test
	void theSmsGatewayGetsTheSmsRuFormAndItsIdIsKept() throws Exception {
		try (HttpPeer gateway = new HttpPeer(request -> HttpPeer.Answer.ok("""
				{"status":"OK","status_code":100,"sms":{"79161234567":{"status":"OK","status_code":100,
				 "sms_id":"000000-10000001"}},"balance":4122.56}
				"""))) {
			HttpSmsSender sender = new HttpSmsSender(properties(new MessagingProperties.SmsHttp(
					gateway.url("/sms/send"), "key-1", "Klinika", null, Duration.ofSeconds(2)), null, null), JSON);
			Sender.Accepted accepted = sender
				.send(new Sender.Outgoing(1, "+79161234567", null, "Напоминаем: завтра в 10:00"));
			assertThat(accepted.providerIds()).containsExactly("000000-10000001");
			Map<String, String> form = form(gateway.requests.get(0).body());
			assertThat(form).containsEntry("api_id", "key-1")
				.containsEntry("to", "79161234567")
				.containsEntry("msg", "Напоминаем: завтра в 10:00")
				.containsEntry("json", "1")
				.containsEntry("from", "Klinika");
		}
	}

	@Test
	void aGatewayThatFailsOrHangsIsRetriedAndARefusedNumberIsNot() throws Exception {
		try (HttpPeer gateway = new HttpPeer(request -> new HttpPeer.Answer(500, "oops", 0))) {
			HttpSmsSender sender = new HttpSmsSender(properties(new MessagingProperties.SmsHttp(
					gateway.url("/sms/send"), "key-1", null, null, Duration.ofMillis(500)), null, null), JSON);
			Sender.Outgoing message = new Sender.Outgoing(1, "+79161234567", null, "Текст");
			SendFailure failure = catchThrowableOfType(SendFailure.class, () -> sender.send(message));
			assertThat(failure.getMessage()).isEqualTo("GATEWAY_HTTP_500");
			assertThat(failure.permanent()).isFalse();

			gateway.answer(request -> new HttpPeer.Answer(200, "{}", 2_000));
			failure = catchThrowableOfType(SendFailure.class, () -> sender.send(message));
			assertThat(failure.getMessage()).isEqualTo("GATEWAY_TIMEOUT");
			assertThat(failure.permanent()).isFalse();

			gateway.answer(request -> HttpPeer.Answer.ok("not json"));
			failure = catchThrowableOfType(SendFailure.class, () -> sender.send(message));
			assertThat(failure.getMessage()).isEqualTo("GATEWAY_MALFORMED_ANSWER");

			gateway.answer(request -> HttpPeer.Answer.ok("""
					{"status":"OK","status_code":100,"sms":{"79161234567":{"status":"ERROR","status_code":207,
					 "status_text":"На этот номер нельзя отправлять сообщения"}}}
					"""));
			failure = catchThrowableOfType(SendFailure.class, () -> sender.send(message));
			assertThat(failure.getMessage()).startsWith("GATEWAY_REFUSED 207");
			assertThat(failure.permanent()).isTrue();
		}
	}

	@Test
	void aGenericGatewayGetsKlinikasJsonWithTheKeyAsABearerToken() throws Exception {
		try (HttpPeer gateway = new HttpPeer(request -> HttpPeer.Answer.ok("{\"id\":\"gw-42\"}"))) {
			HttpSmsSender sender = new HttpSmsSender(properties(new MessagingProperties.SmsHttp(gateway.url("/send"),
					"key-9", null, null, Duration.ofSeconds(2), "generic"), null, null), JSON);
			assertThat(sender.send(new Sender.Outgoing(5, "+79161234567", null, "Привет")).providerIds())
				.containsExactly("gw-42");
			var sent = JSON.readTree(gateway.requests.get(0).body());
			assertThat(sent.path("to").asString()).isEqualTo("+79161234567");
			assertThat(sent.path("text").asString()).isEqualTo("Привет");
			assertThat(sent.path("reference").asString()).isEqualTo("klinika-5");
			gateway.answer(request -> new HttpPeer.Answer(422, "{}", 0));
			SendFailure refused = catchThrowableOfType(SendFailure.class,
					() -> sender.send(new Sender.Outgoing(6, "+79161234567", null, "Привет")));
			assertThat(refused.permanent()).isTrue();
		}
	}

	@Test
	void telegramSendsToTheChatAndABlockedBotIsAPermanentRefusal() throws Exception {
		try (HttpPeer api = new HttpPeer(request -> HttpPeer.Answer.ok("""
				{"ok":true,"result":{"message_id":77,"chat":{"id":555}}}
				"""))) {
			TelegramSender sender = new TelegramSender(properties(null, new MessagingProperties.Telegram("T0KEN",
					"clinic_bot", api.url(""), "secret", Duration.ofSeconds(2)), null), JSON);
			assertThat(sender.send(new Sender.Outgoing(1, "555", null, "Привет")).providerIds())
				.containsExactly("555:77");
			assertThat(api.requests.get(0).path()).isEqualTo("/botT0KEN/sendMessage");
			assertThat(JSON.readTree(api.requests.get(0).body()).path("text").asString()).isEqualTo("Привет");

			api.answer(request -> new HttpPeer.Answer(403,
					"{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}", 0));
			SendFailure blocked = catchThrowableOfType(SendFailure.class,
					() -> sender.send(new Sender.Outgoing(2, "555", null, "Привет")));
			assertThat(blocked.permanent()).isTrue();
			assertThat(blocked.getMessage()).startsWith("TELEGRAM_403");

			api.answer(request -> new HttpPeer.Answer(429,
					"{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests\",\"parameters\":{\"retry_after\":7}}",
					0));
			SendFailure slow = catchThrowableOfType(SendFailure.class,
					() -> sender.send(new Sender.Outgoing(3, "555", null, "Привет")));
			assertThat(slow.permanent()).isFalse();
			assertThat(slow.retryAfter()).isEqualTo(Duration.ofSeconds(7));
		}
	}

	@Test
	void emailRepliesAreReadFromImapOnceWithoutTheQuotedLetter() throws Exception {
		mail.setUser("clinic@example.ru", "clinic", "secret");
		GreenMailUtil.sendTextEmail("clinic@example.ru", "maria@example.org", "Re: Напоминание о записи",
				"Можно перенести на четверг?\n\n> Здравствуйте, Мария!\n> Напоминаем о записи", ServerSetupTest.SMTP);
		java.util.List<String> inbox = new java.util.ArrayList<>();
		java.util.Set<String> seen = new java.util.HashSet<>();
		EmailReplies replies = new EmailReplies(new MessagingProperties.Email("clinic@example.ru", "127.0.0.1",
				ServerSetupTest.IMAP.getPort(), "clinic", "secret", false),
				(channel, eventId, sender, text, patient) -> {
					if (!seen.add(eventId)) {
						return java.util.Optional.empty();
					}
					inbox.add(channel + " " + sender + " " + text);
					return java.util.Optional.of((long) inbox.size());
				});
		assertThat(replies.poll()).isEqualTo(1);
		assertThat(inbox).containsExactly("EMAIL maria@example.org Можно перенести на четверг?");
		// Read: the next poll finds nothing new.
		assertThat(replies.poll()).isZero();
		// A mailbox that cannot be reached is logged and tried again, nothing thrown.
		assertThat(new EmailReplies(new MessagingProperties.Email("x@example.ru", "127.0.0.1", 1, "u", "p", false),
				(channel, eventId, sender, text, patient) -> java.util.Optional.empty())
			.poll()).isZero();
	}

	@Test
	void emailGoesOverSmtpWithACyrillicSubjectAndTextAndHtmlParts() throws Exception {
		JavaMailSenderImpl smtp = new JavaMailSenderImpl();
		smtp.setHost("127.0.0.1");
		smtp.setPort(ServerSetupTest.SMTP.getPort());
		smtp.setDefaultEncoding("UTF-8");
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("mail", smtp));
		EmailSender sender = new EmailSender(properties(null, null, new MessagingProperties.Email("clinic@example.ru")),
				beans.getBeanProvider(JavaMailSender.class));
		assertThat(sender.ready()).isTrue();
		Sender.Accepted accepted = sender.send(new Sender.Outgoing(9, "maria@example.org", "Напоминание о записи",
				"Здравствуйте, Мария!\n\nПодтвердить: https://clinic.example/m/1.x.y"));
		MimeMessage[] received = mail.getReceivedMessages();
		assertThat(received).hasSize(1);
		assertThat(received[0].getSubject()).isEqualTo("Напоминание о записи");
		assertThat(received[0].getMessageID()).isEqualTo(accepted.providerIds().get(0));
		String raw = GreenMailUtil.getWholeMessage(received[0]);
		assertThat(raw).contains("=?UTF-8?");
		MimeMultipart multipart = (MimeMultipart) received[0].getContent();
		String all = GreenMailUtil.getBody(received[0]);
		assertThat(multipart.getCount()).isGreaterThanOrEqualTo(1);
		assertThat(all).contains("text/plain").contains("text/html");
	}

}
