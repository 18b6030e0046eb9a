package dev.klinika.billing;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * YooKassa's API v3 on loopback, in its published format: HTTP Basic with the shop id and
 * the secret key; {@code POST /v3/payments} with an {@code Idempotence-Key} (a key sent
 * again answers the first payment, a key reused with another body is
 * {@code invalid_request}) answers the payment object ({@code id}, {@code status:
 * pending}, {@code amount}, {@code confirmation.confirmation_url}, {@code paid},
 * {@code created_at}, {@code test}); {@code GET /v3/payments/<id>}; {@code POST
 * .../capture} and {@code .../cancel} of a {@code waiting_for_capture} payment;
 * {@code POST /v3/refunds} ({@code payment_id}, {@code amount}) of a {@code succeeded}
 * one, never more than it took. Errors are {@code {"type": "error", "id", "code",
 * "description", "parameter"}}. Tests play the patient on the payment page ({@link #pay},
 * {@link #decline}) and script failures ahead ("500").
 */
final class YooKassaServer implements AutoCloseable {

	static final String SHOP = "506751";

	static final String SECRET = "test_Fh8hUAVVBGUGbjmlzba6TB0iyUbos_lueTHE-axOwM0";

	private final HttpServer server;

	private final JsonMapper json = JsonMapper.builder().build();

	/** Every request: method, path, Idempotence-Key, body. */
	final List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());

	private final Map<String, Map<String, Object>> payments = Collections.synchronizedMap(new LinkedHashMap<>());

	private final Map<String, String> byKey = Collections.synchronizedMap(new LinkedHashMap<>());

	private final Map<String, Map<String, Object>> refundsByKey = Collections.synchronizedMap(new LinkedHashMap<>());

	final Deque<String> script = new ArrayDeque<>();

	YooKassaServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/v3/", this::handle);
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v3";
	}

	synchronized void next(String what) {
		this.script.add(what);
	}

	/** The patient paid on the payment page: a two-stage payment waits for capture. */
	void pay(String id) {
		Map<String, Object> payment = this.payments.get(id);
		payment.put("status", Boolean.TRUE.equals(payment.get("capture")) ? "succeeded" : "waiting_for_capture");
		payment.put("paid", true);
	}

	void decline(String id) {
		this.payments.get(id).put("status", "canceled");
		this.payments.get(id)
			.put("cancellation_details", Map.of("party", "yoo_money", "reason", "expired_on_confirmation"));
	}

	String status(String id) {
		return (String) this.payments.get(id).get("status");
	}

	/** The only payment made so far. */
	String onlyPayment() {
		assert this.payments.size() == 1;
		return this.payments.keySet().iterator().next();
	}

	List<Map<String, Object>> requests(String method, String pathPart) {
		synchronized (this.received) {
			return this.received.stream()
				.filter(r -> r.get("method").equals(method) && ((String) r.get("path")).contains(pathPart))
				.toList();
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath().substring("/v3/".length());
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		String key = exchange.getRequestHeaders().getFirst("Idempotence-Key");
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("method", exchange.getRequestMethod());
		request.put("path", path);
		request.put("key", key);
		request.put("body", body);
		this.received.add(request);
		String scripted;
		synchronized (this) {
			scripted = this.script.poll();
		}
		if ("500".equals(scripted)) {
			answer(exchange, 500, error("internal_server_error", "Internal server error", null));
			return;
		}
		String expected = "Basic "
				+ Base64.getEncoder().encodeToString((SHOP + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
		if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
			answer(exchange, 401, error("invalid_credentials", "Login or password error", null));
			return;
		}
		boolean post = exchange.getRequestMethod().equals("POST");
		if (post && (key == null || key.isBlank() || key.length() > 64)) {
			answer(exchange, 400, error("invalid_request", "Idempotence key missing or too long", "Idempotence-Key"));
			return;
		}
		String[] parts = path.split("/");
		if (post && path.equals("payments")) {
			create(exchange, key, body);
		}
		else if (!post && parts.length == 2 && parts[0].equals("payments")) {
			Map<String, Object> payment = this.payments.get(parts[1]);
			if (payment == null) {
				answer(exchange, 404, error("not_found", "Payment not found", "payment_id"));
				return;
			}
			answer(exchange, 200, payment);
		}
		else if (post && parts.length == 3 && parts[0].equals("payments")) {
			end(exchange, parts[1], parts[2]);
		}
		else if (post && path.equals("refunds")) {
			refund(exchange, key, body);
		}
		else {
			answer(exchange, 404, error("not_found", "Unknown method", null));
		}
	}

	private void create(HttpExchange exchange, String key, String body) throws IOException {
		String first = this.byKey.get(key);
		if (first != null) {
			answer(exchange, 200, this.payments.get(first));
			return;
		}
		JsonNode order = this.json.readTree(body);
		JsonNode amount = order.path("amount");
		if (!amount.path("value").asString("").matches("\\d+\\.\\d{2}")
				|| amount.path("currency").asString("").isEmpty()) {
			answer(exchange, 400, error("invalid_request", "Incorrect amount", "amount.value"));
			return;
		}
		String id = UUID.randomUUID().toString().replaceFirst("^.{8}", "2f4b6e3a");
		Map<String, Object> payment = new LinkedHashMap<>();
		payment.put("id", id);
		payment.put("status", "pending");
		payment.put("paid", false);
		payment.put("amount",
				Map.of("value", amount.path("value").asString(), "currency", amount.path("currency").asString()));
		payment.put("confirmation",
				Map.of("type", "redirect", "confirmation_url",
						"https://yoomoney.ru/api-pages/v2/payment-confirm/epl?orderId=" + id, "return_url",
						order.path("confirmation").path("return_url").asString("")));
		payment.put("created_at", java.time.Instant.now().toString());
		payment.put("description", order.path("description").asString(""));
		payment.put("metadata", this.json.convertValue(order.path("metadata"), Map.class));
		payment.put("recipient", Map.of("account_id", SHOP, "gateway_id", "2351140"));
		payment.put("refundable", false);
		payment.put("test", true);
		payment.put("capture", order.path("capture").asBoolean(true));
		this.payments.put(id, payment);
		this.byKey.put(key, id);
		answer(exchange, 200, payment);
	}

	private void end(HttpExchange exchange, String id, String how) throws IOException {
		Map<String, Object> payment = this.payments.get(id);
		if (payment == null) {
			answer(exchange, 404, error("not_found", "Payment not found", "payment_id"));
			return;
		}
		String status = (String) payment.get("status");
		String wanted = how.equals("capture") ? "succeeded" : "canceled";
		if (status.equals(wanted)) {
			answer(exchange, 200, payment);
			return;
		}
		if (!status.equals("waiting_for_capture")) {
			answer(exchange, 400, error("invalid_request", "Payment is in status " + status, null));
			return;
		}
		payment.put("status", wanted);
		if (how.equals("capture")) {
			payment.put("captured_at", java.time.Instant.now().toString());
			payment.put("refundable", true);
			payment.put("refunded_amount", Map.of("value", "0.00", "currency", "RUB"));
		}
		answer(exchange, 200, payment);
	}

	private void refund(HttpExchange exchange, String key, String body) throws IOException {
		Map<String, Object> first = this.refundsByKey.get(key);
		if (first != null) {
			answer(exchange, 200, first);
			return;
		}
		JsonNode order = this.json.readTree(body);
		Map<String, Object> payment = this.payments.get(order.path("payment_id").asString(""));
		if (payment == null || !"succeeded".equals(payment.get("status"))) {
			answer(exchange, 400, error("invalid_request", "Payment can not be refunded", "payment_id"));
			return;
		}
		@SuppressWarnings("unchecked")
		Map<String, String> paid = (Map<String, String>) payment.get("amount");
		BigDecimal refunded = payment.containsKey("refunded") ? (BigDecimal) payment.get("refunded") : BigDecimal.ZERO;
		BigDecimal asked = new BigDecimal(order.path("amount").path("value").asString("0"));
		if (refunded.add(asked).compareTo(new BigDecimal(paid.get("value"))) > 0) {
			answer(exchange, 400, error("invalid_request", "Refund amount exceeds the payment", "amount"));
			return;
		}
		payment.put("refunded", refunded.add(asked));
		Map<String, Object> refund = new LinkedHashMap<>();
		refund.put("id", UUID.randomUUID().toString());
		refund.put("payment_id", payment.get("id"));
		refund.put("status", "succeeded");
		refund.put("created_at", java.time.Instant.now().toString());
		refund.put("amount", Map.of("value", asked.setScale(2).toPlainString(), "currency", paid.get("currency")));
		this.refundsByKey.put(key, refund);
		answer(exchange, 200, refund);
	}

	private static Map<String, Object> error(String code, String description, String parameter) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("type", "error");
		error.put("id", UUID.randomUUID().toString());
		error.put("code", code);
		error.put("description", description);
		if (parameter != null) {
			error.put("parameter", parameter);
		}
		return error;
	}

	private void answer(HttpExchange exchange, int status, Object body) throws IOException {
		Map<String, Object> shown = body instanceof Map<?, ?> map ? new LinkedHashMap<>(castMap(map)) : null;
		if (shown != null) {
			// What Klinika keeps of its own order is not part of the answer.
			shown.remove("capture");
			shown.remove("refunded");
		}
		byte[] bytes = this.json.writeValueAsString(shown != null ? shown : body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> castMap(Map<?, ?> map) {
		return (Map<String, Object>) map;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
