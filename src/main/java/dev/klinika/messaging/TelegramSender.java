package dev.klinika.messaging;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Telegram through the Bot API: {@code sendMessage} to the chat a patient linked. A chat
 * that blocked the bot or no longer exists is a permanent refusal (the next channel gets
 * the message); 429 waits as long as Telegram says.
 */
@Component
class TelegramSender implements Sender {

	private final MessagingProperties.Telegram settings;

	private final JsonMapper json;

	private final HttpClient http;

	TelegramSender(MessagingProperties properties, JsonMapper json) {
		this.settings = properties.telegram();
		this.json = json;
		this.http = HttpClient.newBuilder().connectTimeout(this.settings.timeout()).build();
	}

	@Override
	public ChannelKind channel() {
		return ChannelKind.TELEGRAM;
	}

	@Override
	public boolean ready() {
		return this.settings.enabled();
	}

	@Override
	public Accepted send(Outgoing message) throws SendFailure {
		JsonNode answer = call("sendMessage", Map.of("chat_id", message.recipient(), "text", message.body()));
		return new Accepted(List.of(message.recipient() + ":" + answer.path("result").path("message_id").asLong()));
	}

	/** Calls a Bot API method; the answer's JSON when {@code ok}, else a failure. */
	JsonNode call(String method, Map<String, ?> parameters) throws SendFailure {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.settings.apiUrl() + "/bot" + this.settings.token() + "/" + method))
			.timeout(this.settings.timeout())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(parameters)))
			.build();
		HttpResponse<String> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (HttpTimeoutException ex) {
			throw new SendFailure("TELEGRAM_TIMEOUT", false);
		}
		catch (IOException ex) {
			throw new SendFailure("TELEGRAM_UNREACHABLE " + ex.getMessage(), false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SendFailure("TELEGRAM_INTERRUPTED", false);
		}
		JsonNode answer;
		try {
			answer = this.json.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new SendFailure("TELEGRAM_HTTP_" + response.statusCode(), false);
		}
		if (answer.path("ok").asBoolean(false)) {
			return answer;
		}
		String description = answer.path("description").asString("");
		int code = response.statusCode();
		if (code == 429) {
			long wait = answer.path("parameters").path("retry_after").asLong(5);
			throw new SendFailure("TELEGRAM_TOO_MANY " + description, false, Duration.ofSeconds(Math.max(1, wait)));
		}
		throw new SendFailure("TELEGRAM_" + code + " " + description, code == 403 || code == 400);
	}

}
