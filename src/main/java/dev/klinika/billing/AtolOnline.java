package dev.klinika.billing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * ATOL Online's API v5 (FFD 1.2): {@code POST getToken} with the integrator's login and
 * password gives a token for 24 hours; {@code POST <group>/sell} or {@code sell_refund}
 * with {@code timestamp}, {@code external_id} and {@code receipt} answers the receipt's
 * {@code uuid}; {@code GET <group>/report/<uuid>} answers {@code wait}, {@code done} with
 * the fiscal {@code payload}, or {@code fail} with an {@code error} ({@code code},
 * {@code text}, {@code type}). The token goes in the {@code Token} header. A 5xx, a 429
 * or no answer is tried again later; a 4xx with an error, or a report of {@code fail},
 * refuses the receipt with the register's words. An error that still names a {@code uuid}
 * (the external id was sent before) is followed, not registered twice.
 */
@Component
class AtolOnline implements FiscalRegister {

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");

	private final AtolProperties settings;

	private final JsonMapper json;

	private final Clock clock;

	private final HttpClient http;

	private @Nullable String token;

	private Instant tokenUntil = Instant.EPOCH;

	AtolOnline(AtolProperties settings, JsonMapper json, Clock clock) {
		this.settings = settings;
		this.json = json;
		this.clock = clock;
		this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
	}

	@Override
	public Answer send(String operation, String externalId, Map<String, Object> receipt) throws Unreachable {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("timestamp", LocalDateTime.now(this.clock).format(TIMESTAMP));
		body.put("external_id", externalId);
		body.put("receipt", receipt);
		String payload = this.json.writeValueAsString(body);
		JsonNode answer = authorized(token -> HttpRequest
			.newBuilder(URI.create(this.settings.url() + "/" + this.settings.group() + "/" + operation))
			.timeout(this.settings.timeout())
			.header("Content-Type", "application/json; charset=utf-8")
			.header("Token", token)
			.POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
			.build());
		return answer(answer, true);
	}

	@Override
	public Answer report(String uuid) throws Unreachable {
		JsonNode answer = authorized(token -> HttpRequest
			.newBuilder(URI.create(this.settings.url() + "/" + this.settings.group() + "/report/" + uuid))
			.timeout(this.settings.timeout())
			.header("Token", token)
			.GET()
			.build());
		return answer(answer, false);
	}

	/**
	 * A send that names a uuid, even with an error (the external id was sent before), is
	 * followed by its report, which tells what became of it.
	 */
	private Answer answer(JsonNode answer, boolean sent) throws Unreachable {
		String uuid = text(answer, "uuid");
		JsonNode error = answer.path("error");
		String status = text(answer, "status");
		if ("done".equals(status)) {
			@SuppressWarnings("unchecked")
			Map<String, Object> fiscal = this.json.convertValue(answer.path("payload"), Map.class);
			return new Answer(Answer.State.DONE, uuid, fiscal, null);
		}
		boolean failed = "fail".equals(status) || (!error.isMissingNode() && !error.isNull());
		if (sent && uuid != null) {
			// The receipt is known under its external id already: follow it.
			return new Answer(Answer.State.WAITING, uuid, null, null);
		}
		if (failed) {
			String words = (error.path("code").asString("") + " " + error.path("text").asString("")).strip();
			return new Answer(Answer.State.REFUSED, uuid, null, words.isEmpty() ? "fail" : words);
		}
		if (uuid == null) {
			throw new Unreachable("ATOL answered without a uuid");
		}
		return new Answer(Answer.State.WAITING, uuid, null, null);
	}

	/**
	 * A request with a valid token; a refused token is fetched again once. A 5xx, a
	 * timeout or a body that is not JSON is {@link Unreachable}.
	 */
	private JsonNode authorized(java.util.function.Function<String, HttpRequest> request) throws Unreachable {
		HttpResponse<String> response = call(request.apply(token(false)));
		if (response.statusCode() == 401 || (response.statusCode() == 400 && tokenRefused(response.body()))) {
			response = call(request.apply(token(true)));
		}
		if (response.statusCode() >= 500 || response.statusCode() == 429) {
			throw new Unreachable("ATOL answered " + response.statusCode());
		}
		return parse(response.body());
	}

	private boolean tokenRefused(String body) {
		try {
			String text = this.json.readTree(body)
				.path("error")
				.path("text")
				.asString("")
				.toLowerCase(java.util.Locale.ROOT);
			return text.contains("токен") || text.contains("token");
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	private synchronized String token(boolean renew) throws Unreachable {
		if (!renew && this.token != null && this.clock.instant().isBefore(this.tokenUntil)) {
			return this.token;
		}
		Map<String, Object> credentials = new LinkedHashMap<>();
		credentials.put("login", this.settings.login());
		credentials.put("pass", this.settings.password());
		HttpResponse<String> response = call(HttpRequest.newBuilder(URI.create(this.settings.url() + "/getToken"))
			.timeout(this.settings.timeout())
			.header("Content-Type", "application/json; charset=utf-8")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(credentials)))
			.build());
		JsonNode answer = parse(response.body());
		String token = text(answer, "token");
		if (token == null || token.isEmpty()) {
			JsonNode error = answer.path("error");
			throw new Unreachable("ATOL refused the login: " + error.path("code").asString("") + " "
					+ error.path("text").asString(""));
		}
		this.token = token;
		// ATOL's token lives 24 hours; renew it an hour early.
		this.tokenUntil = this.clock.instant().plus(Duration.ofHours(23));
		return token;
	}

	private HttpResponse<String> call(HttpRequest request) throws Unreachable {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new Unreachable("ATOL did not answer: " + ex.getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Unreachable("interrupted");
		}
	}

	private JsonNode parse(String body) throws Unreachable {
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new Unreachable("ATOL answered what is not JSON");
		}
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isMissingNode() || value.isNull() ? null : value.asString();
	}

}
