package dev.klinika.messaging;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * SMS through an HTTP gateway: in SMS.ru's format by default, or Klinika's generic JSON
 * for any other gateway (or a small adapter in front of one). SMS.ru's format: a form
 * POST of {@code api_id}, {@code to}, {@code msg} (and {@code from}) with {@code json=1};
 * the answer names the message's {@code sms_id} or the number's error code. Status
 * callbacks come back to {@code /api/hooks/sms/smsru/<secret>}.
 */
@Component
class HttpSmsSender implements Sender {

	/** SMS.ru's codes for numbers it will never send to. */
	private static final List<Integer> BAD_NUMBER = List.of(202, 207, 208, 230, 231, 232);

	private final MessagingProperties.SmsHttp settings;

	private final JsonMapper json;

	private final HttpClient http;

	HttpSmsSender(MessagingProperties properties, JsonMapper json) {
		this.settings = properties.smsHttp();
		this.json = json;
		this.http = HttpClient.newBuilder().connectTimeout(this.settings.timeout()).build();
	}

	@Override
	public ChannelKind channel() {
		return ChannelKind.SMS;
	}

	@Override
	public boolean ready() {
		return this.settings.enabled();
	}

	@Override
	public Accepted send(Outgoing message) throws SendFailure {
		return this.settings.generic() ? sendGeneric(message) : sendSmsRu(message);
	}

	/** Klinika's own JSON for gateways configured as {@code generic}. */
	private Accepted sendGeneric(Outgoing message) throws SendFailure {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("to", message.recipient());
		body.put("text", message.body());
		body.put("reference", "klinika-" + message.id());
		if (this.settings.from() != null && !this.settings.from().isBlank()) {
			body.put("from", this.settings.from());
		}
		HttpResponse<String> response = post(HttpRequest.newBuilder(URI.create(this.settings.url()))
			.timeout(this.settings.timeout())
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + this.settings.apiId())
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build());
		if (response.statusCode() == 400 || response.statusCode() == 422) {
			throw new SendFailure("GATEWAY_REFUSED " + response.statusCode(), true);
		}
		if (response.statusCode() / 100 != 2) {
			throw new SendFailure("GATEWAY_HTTP_" + response.statusCode(), false);
		}
		try {
			String id = this.json.readTree(response.body()).path("id").asString("");
			if (id.isEmpty()) {
				throw new SendFailure("GATEWAY_NO_ID", false);
			}
			return new Accepted(List.of(id));
		}
		catch (JacksonException ex) {
			throw new SendFailure("GATEWAY_MALFORMED_ANSWER", false);
		}
	}

	private Accepted sendSmsRu(Outgoing message) throws SendFailure {
		String to = message.recipient().replace("+", "");
		Map<String, String> form = new LinkedHashMap<>();
		form.put("api_id", this.settings.apiId());
		form.put("to", to);
		form.put("msg", message.body());
		form.put("json", "1");
		if (this.settings.from() != null && !this.settings.from().isBlank()) {
			form.put("from", this.settings.from());
		}
		String body = form.entrySet()
			.stream()
			.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.settings.url()))
			.timeout(this.settings.timeout())
			.header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		HttpResponse<String> response = post(request);
		if (response.statusCode() != 200) {
			throw new SendFailure("GATEWAY_HTTP_" + response.statusCode(), false);
		}
		try {
			JsonNode answer = this.json.readTree(response.body());
			if (!"OK".equals(answer.path("status").asString(""))) {
				throw new SendFailure("GATEWAY_ERROR " + answer.path("status_code").asInt() + " "
						+ answer.path("status_text").asString(""), false);
			}
			JsonNode sms = answer.path("sms").path(to);
			if (!"OK".equals(sms.path("status").asString(""))) {
				int code = sms.path("status_code").asInt();
				throw new SendFailure("GATEWAY_REFUSED " + code + " " + sms.path("status_text").asString(""),
						BAD_NUMBER.contains(code));
			}
			String id = sms.path("sms_id").asString("");
			if (id.isEmpty()) {
				throw new SendFailure("GATEWAY_NO_ID", false);
			}
			return new Accepted(List.of(id));
		}
		catch (JacksonException ex) {
			throw new SendFailure("GATEWAY_MALFORMED_ANSWER", false);
		}
	}

	private HttpResponse<String> post(HttpRequest request) throws SendFailure {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (HttpTimeoutException ex) {
			throw new SendFailure("GATEWAY_TIMEOUT", false);
		}
		catch (IOException ex) {
			throw new SendFailure("GATEWAY_UNREACHABLE " + ex.getMessage(), false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SendFailure("GATEWAY_INTERRUPTED", false);
		}
	}

}
