package dev.klinika.billing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * ATOL Online's API v5 on loopback, in its published format: {@code POST getToken}
 * ({@code login}, {@code pass} → {@code token}), {@code POST <group>/sell|sell_refund}
 * with the {@code Token} header (→ {@code uuid}, {@code status: wait}), and
 * {@code GET <group>/report/<uuid>} (→ {@code done} with the fiscal {@code payload}). A
 * receipt's external id sent again is answered with an error that names the first uuid,
 * as ATOL does. Tests script failures ahead: a 500, a slow answer, an expired token, a
 * refusal.
 */
final class AtolServer implements AutoCloseable {

	static final String LOGIN = "klinika-test";

	static final String PASSWORD = "s3cret-pass";

	static final String GROUP = "group_code_1";

	private final HttpServer server;

	private final JsonMapper json = JsonMapper.builder().build();

	/** What each receipt request carried: its operation and body. */
	final List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());

	final Map<String, String> uuids = Collections.synchronizedMap(new LinkedHashMap<>());

	final Deque<String> script = new ArrayDeque<>();

	volatile int tokens;

	private volatile String token = "";

	AtolServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/possystem/v5/", this::handle);
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/possystem/v5";
	}

	/** The next receipt request answers so: "500", "slow", "expired", "refuse". */
	synchronized void next(String what) {
		this.script.add(what);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath().substring("/possystem/v5/".length());
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		if (path.equals("getToken")) {
			JsonNode credentials = this.json.readTree(body);
			if (!LOGIN.equals(credentials.path("login").asString(""))
					|| !PASSWORD.equals(credentials.path("pass").asString(""))) {
				answer(exchange, 401, error(12, "Неверный логин или пароль", "system"));
				return;
			}
			this.tokens++;
			this.token = UUID.randomUUID().toString().replace("-", "");
			Map<String, Object> token = new LinkedHashMap<>();
			token.put("error", null);
			token.put("token", this.token);
			token.put("timestamp", "03.12.2026 12:00:00");
			answer(exchange, 200, token);
			return;
		}
		if (!path.startsWith(GROUP + "/")) {
			answer(exchange, 400, error(4, "Неизвестная группа ККТ", "system"));
			return;
		}
		String what;
		synchronized (this) {
			what = path.startsWith(GROUP + "/report/") ? null : this.script.poll();
		}
		String operation = path.substring(GROUP.length() + 1);
		if ("expired".equals(what) || !this.token.equals(exchange.getRequestHeaders().getFirst("Token"))) {
			answer(exchange, 401, error(11, "Передан некорректный токен", "system"));
			return;
		}
		if ("500".equals(what)) {
			answer(exchange, 500, Map.of("error", "internal"));
			return;
		}
		if ("refuse".equals(what)) {
			answer(exchange, 400, error(32, "Ошибка валидации JSON: client.email", "system"));
			return;
		}
		if (operation.startsWith("report/")) {
			String uuid = operation.substring("report/".length());
			if (!this.uuids.containsValue(uuid)) {
				answer(exchange, 400, error(34, "Документ не найден", "system"));
				return;
			}
			Map<String, Object> payload = new LinkedHashMap<>();
			payload.put("fiscal_receipt_number", 17);
			payload.put("shift_number", 23);
			payload.put("receipt_datetime", "03.12.2026 12:00:05");
			payload.put("total", 0);
			payload.put("fn_number", "9999078900004312");
			payload.put("ecr_registration_number", "0000000001002292");
			payload.put("fiscal_document_number", new ArrayList<>(this.uuids.values()).indexOf(uuid) + 1);
			payload.put("fiscal_document_attribute", 3326115637L);
			payload.put("fns_site", "www.nalog.gov.ru");
			payload.put("ofd_inn", "7704358518");
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("uuid", uuid);
			report.put("error", null);
			report.put("status", "done");
			report.put("payload", payload);
			report.put("timestamp", "03.12.2026 12:00:06");
			report.put("group_code", GROUP);
			report.put("daemon_code", "prod-agent-1");
			report.put("device_code", "KSR13.11-3-1");
			answer(exchange, 200, report);
			return;
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> request = this.json.readValue(body, Map.class);
		request.put("operation", operation);
		String externalId = String.valueOf(request.get("external_id"));
		String known = this.uuids.get(externalId);
		if (known != null) {
			Map<String, Object> duplicate = new LinkedHashMap<>(error(33,
					"В системе существует чек с external_id : " + externalId + " и group_code: " + GROUP, "system"));
			duplicate.put("uuid", known);
			answer(exchange, 200, duplicate);
			return;
		}
		this.received.add(request);
		String uuid = UUID.randomUUID().toString();
		this.uuids.put(externalId, uuid);
		if ("slow".equals(what)) {
			// Registered, but the answer comes after the client gave up.
			try {
				Thread.sleep(2500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		answer(exchange, 200, Map.of("uuid", uuid, "status", "wait", "timestamp", "03.12.2026 12:00:01"));
	}

	private static Map<String, Object> error(int code, String text, String type) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("error_id", UUID.randomUUID().toString());
		error.put("code", code);
		error.put("text", text);
		error.put("type", type);
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("error", error);
		answer.put("status", "fail");
		answer.put("timestamp", "03.12.2026 12:00:01");
		return answer;
	}

	private void answer(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
		byte[] bytes = this.json.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
		try {
			exchange.sendResponseHeaders(status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
		catch (IOException ex) {
			// The client gave up waiting.
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
