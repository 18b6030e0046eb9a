package dev.klinika.billing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.klinika.shared.Money;

/**
 * YooKassa's API v3: HTTP Basic with the shop id and the secret key; every POST carries
 * an {@code Idempotence-Key} (YooKassa answers a repeated key with the first answer).
 * {@code POST payments} with {@code amount} ({@code value} as a string with kopecks,
 * {@code currency}), {@code capture}, {@code confirmation} ({@code type: redirect},
 * {@code return_url}) and {@code description} answers the payment object ({@code id},
 * {@code status}, {@code amount}, {@code confirmation.confirmation_url});
 * {@code GET payments/<id>} reads it; {@code POST payments/<id>/capture} and
 * {@code .../cancel} end a two-stage payment; {@code POST refunds} with
 * {@code payment_id} and {@code amount} answers the refund object. An error is
 * {@code {"type": "error", "code", "description", "parameter"}}: a 4xx refuses, a 5xx, a
 * 429 or no answer is tried again later.
 */
@Component
class YooKassa implements PaymentProvider {

	private final YooKassaProperties settings;

	private final JsonMapper json;

	private final HttpClient http;

	YooKassa(YooKassaProperties settings, JsonMapper json) {
		this.settings = settings;
		this.json = json;
		this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
	}

	@Override
	public String name() {
		return "YOOKASSA";
	}

	boolean configured() {
		return this.settings.configured();
	}

	@Override
	public Payment create(String key, Money amount, String description, String returnUrl, boolean capture)
			throws Unreachable {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("amount", amount(amount));
		body.put("capture", capture);
		body.put("confirmation", Map.of("type", "redirect", "return_url", returnUrl));
		// YooKassa keeps up to 128 characters of a description.
		body.put("description", description.length() > 128 ? description.substring(0, 128) : description);
		body.put("metadata", Map.of("klinika_key", key));
		return payment(post("payments", key, body));
	}

	@Override
	public Payment find(String id) throws Unreachable {
		return payment(call(request("payments/" + path(id)).GET().build()));
	}

	@Override
	public Payment capture(String id, Money amount, String key) throws Unreachable {
		return payment(post("payments/" + path(id) + "/capture", key, Map.of("amount", amount(amount))));
	}

	@Override
	public Payment cancel(String id, String key) throws Unreachable {
		return payment(post("payments/" + path(id) + "/cancel", key, Map.of()));
	}

	@Override
	public Refund refund(String paymentId, Money amount, String key) throws Unreachable {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("payment_id", paymentId);
		body.put("amount", amount(amount));
		JsonNode answer = post("refunds", key, body);
		String id = text(answer, "id");
		String status = text(answer, "status");
		if (id == null || status == null) {
			throw new Unreachable("YooKassa answered a refund without an id or a status");
		}
		return new Refund(id, status);
	}

	private static Map<String, String> amount(Money amount) {
		return Map.of("value", amount.amount().setScale(2).toPlainString(), "currency",
				amount.currency().getCurrencyCode());
	}

	/** An id as YooKassa makes them, never a path of its own. */
	private static String path(String id) throws Refused {
		if (!id.matches("[A-Za-z0-9-]{1,64}")) {
			throw new Refused("not a YooKassa id");
		}
		return id;
	}

	private Payment payment(JsonNode answer) throws Unreachable {
		String id = text(answer, "id");
		String status = text(answer, "status");
		JsonNode amount = answer.path("amount");
		if (id == null || status == null || amount.isMissingNode()) {
			throw new Unreachable("YooKassa answered a payment without an id, a status or an amount");
		}
		try {
			return new Payment(id, Status.of(status),
					Money.of(new java.math.BigDecimal(amount.path("value").asString("")),
							Currency.getInstance(amount.path("currency").asString(""))),
					text(answer.path("confirmation"), "confirmation_url"));
		}
		catch (IllegalArgumentException ex) {
			throw new Unreachable("YooKassa answered what Klinika cannot read: " + ex.getMessage());
		}
	}

	private JsonNode post(String path, String key, Map<String, ?> body) throws Unreachable {
		return call(request(path).header("Idempotence-Key", key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body), StandardCharsets.UTF_8))
			.build());
	}

	private HttpRequest.Builder request(String path) {
		String credentials = this.settings.shopId() + ":" + this.settings.secretKey();
		return HttpRequest.newBuilder(URI.create(this.settings.url() + "/" + path))
			.timeout(this.settings.timeout())
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
	}

	private JsonNode call(HttpRequest request) throws Unreachable {
		HttpResponse<String> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new Unreachable("YooKassa did not answer: " + ex.getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Unreachable("interrupted");
		}
		if (response.statusCode() >= 500 || response.statusCode() == 429) {
			throw new Unreachable("YooKassa answered " + response.statusCode());
		}
		JsonNode answer;
		try {
			answer = this.json.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new Unreachable("YooKassa answered what is not JSON");
		}
		if (response.statusCode() != 200 || "error".equals(text(answer, "type"))) {
			throw new Refused(("YooKassa refused: " + answer.path("code").asString("") + " "
					+ answer.path("description").asString("") + " " + answer.path("parameter").asString(""))
				.strip());
		}
		return answer;
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isMissingNode() || value.isNull() ? null : value.asString();
	}

}
