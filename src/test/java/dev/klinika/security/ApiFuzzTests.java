package dev.klinika.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Every JSON endpoint and webhook, fed a valid body with each field in turn (nested ones
 * too) replaced by a wrong type, null, an empty, huge, negative or fractional number, a
 * 100,000-character text, control characters, impossible and skipped times, and then
 * whole bodies of garbage: none may answer 5xx.
 */
@KlinikaTest
class ApiFuzzTests {

	static final List<Object> BAD = List.of("null", "\"\"", "\"x\"", "0", "-1", "1.5", "99999999999999999999999",
			"1e308", "-1e308", "true", "[]", "{}", "[[[[[[[[[[1]]]]]]]]]]", "\"" + "9".repeat(40) + "\"",
			"\"" + "Я".repeat(100_000) + "\"", "\"\\u0000\\u202e\\u200b\"", "\"2027-03-28T02:30:00+01:00\"",
			"\"2027-13-45T99:99:99Z\"", "\"+99999999999999999999\"", "-9223372036854775808", "9223372036854775807");

	static final List<String> GARBAGE = List.of("", "null", "[]", "{", "\"text\"", "[" + "[".repeat(5000), "{}",
			"[{}, null, 1]", "{\"a\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2001));

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	WorkPatterns patterns;

	private final AtomicInteger address = new AtomicInteger();

	@Test
	void noJsonEndpointOrWebhookAnswers5xxWhateverItIsSent() throws Exception {
		OwnClinicAccess.Ids clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		String start = Instant.now().plusSeconds(60L * 60 * 24 * 60).toString();
		long patient = this.jdbc.sql("select min(id) from patient where home_branch_id = :b or true")
			.param("b", clinic.branch())
			.query(Long.class)
			.single();
		long appointment = this.jdbc.sql("select min(id) from appointment where status = 'BOOKED'")
			.query(Long.class)
			.single();
		List<String> faults = new ArrayList<>();
		// The public booking API and the website's lead form (anyone, from many
		// addresses).
		fuzz(faults, "POST /api/public/v1/holds", """
				{"branch":%d,"service":%d,"staff":%d,"start":"%s"}
				""".formatted(clinic.branch(), clinic.plainService(), clinic.first(), start),
				body -> anonymous(post("/api/public/v1/holds")).contentType(MediaType.APPLICATION_JSON).content(body));
		fuzz(faults, "POST /api/public/v1/bookings", """
				{"branch":%d,"service":%d,"staff":%d,"start":"%s","surname":"Фаззова","name":"Ася",
				 "phone":"+7 916 555-00-11","consent":true,"hold":null,"website":null}
				""".formatted(clinic.branch(), clinic.plainService(), clinic.first(), start),
				body -> anonymous(post("/api/public/v1/bookings")).contentType(MediaType.APPLICATION_JSON)
					.header("Idempotency-Key", UUID.randomUUID().toString())
					.content(body));
		fuzz(faults, "POST /api/public/v1/leads", """
				{"name":"Ася","phone":"+7 916 555-00-12","email":"a@example.com","message":"Вопрос","branchId":%d,
				 "utm_source":"ya","utm_medium":"cpc","utm_campaign":"c","utm_content":"x","utm_term":"t",
				 "page":"https://clinic.example/","website":null}
				""".formatted(clinic.branch()),
				body -> anonymous(post("/api/public/v1/leads")).contentType(MediaType.APPLICATION_JSON).content(body));
		// The staff's booking API, as the reception.
		fuzz(faults, "POST /scheduling/api/appointments", """
				{"patient":%d,"service":%d,"staff":%d,"branch":%d,"start":"%s","room":null}
				""".formatted(patient, clinic.plainService(), clinic.first(), clinic.branch(), start),
				body -> post("/scheduling/api/appointments").with(this.logins.as("owner"))
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content(body));
		fuzz(faults, "POST /scheduling/api/appointments/{id}/move", """
				{"start":"%s","staff":%d}
				""".formatted(start, clinic.first()),
				body -> post("/scheduling/api/appointments/" + appointment + "/move").with(this.logins.as("owner"))
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content(body));
		// The PBX webhooks, signed as their vendors sign.
		fuzz(faults, "POST /api/hooks/pbx/generic", """
				{"event_id":"f-1","call_id":"fuzz-1","type":"ringing","at":"2026-12-01T10:00:00+03:00","direction":"in",
				 "caller":"+7 916 123-45-67","called":"+74951234567","employee":"101","recording_url":null}
				""",
				body -> post("/api/hooks/pbx/generic").contentType(MediaType.APPLICATION_JSON)
					.header("X-Klinika-Signature", "sha256=" + hmac("HmacSHA256", "test-pbx-secret", body))
					.content(body));
		long now = Instant.now().getEpochSecond();
		fuzz(faults, "POST /api/hooks/pbx/mango/events/call",
				"""
						{"entry_id":"fuzz-m","call_id":"l1","timestamp":%d,"seq":1,"call_state":"Appeared","location":"abonent",
						 "from":{"number":"79161234567","extension":null},"to":{"extension":"101","number":"sip:101@c","line_number":"74950000000"}}
						"""
					.formatted(now),
				body -> mango("call", body));
		fuzz(faults, "POST /api/hooks/pbx/mango/events/summary", """
				{"entry_id":"fuzz-m","call_direction":1,"from":{"number":"79161234567"},"to":{"extension":"101"},
				 "line_number":"74950000000","create_time":%d,"forward_time":%d,"talk_time":%d,"end_time":%d,
				 "entry_result":1,"disconnect_reason":1110}
				""".formatted(now - 60, now - 59, now - 50, now), body -> mango("summary", body));
		fuzz(faults, "POST /api/hooks/pbx/mango/events/record/added", """
				{"entry_id":"fuzz-m","recording_id":"r1","recording_state":"Completed","timestamp":%d}
				""".formatted(now), body -> mango("record/added", body));
		fuzz(faults, "POST /api/hooks/telegram", """
				{"update_id":1,"message":{"message_id":1,"date":%d,"chat":{"id":4242,"type":"private"},
				 "from":{"id":4242,"first_name":"Ася"},"text":"/start abc"}}
				""".formatted(now),
				body -> post("/api/hooks/telegram").contentType(MediaType.APPLICATION_JSON)
					.header("X-Telegram-Bot-Api-Secret-Token", "test-telegram-secret")
					.content(body));
		// Zadarma's and SMS.ru's form fields, signed where the vendor signs.
		java.util.Map<String, String> zadarma = new java.util.LinkedHashMap<>();
		zadarma.put("event", "NOTIFY_END");
		zadarma.put("call_start", "2026-12-01 10:00:00");
		zadarma.put("pbx_call_id", "in_fuzz");
		zadarma.put("caller_id", "79161234567");
		zadarma.put("called_did", "74951234567");
		zadarma.put("internal", "101");
		zadarma.put("duration", "30");
		zadarma.put("disposition", "answered");
		zadarma.put("is_recorded", "1");
		zadarma.put("call_id_with_rec", "1.2");
		for (String field : zadarma.keySet()) {
			for (String bad : List.of("", "\u0000", "Я".repeat(100_000), "99999999999999999999", "-1",
					"2026-13-45 99:99:99", "NOTIFY_RECORD", "NOTIFY_ANSWER", "NOTIFY_OUT_END")) {
				java.util.Map<String, String> form = new java.util.LinkedHashMap<>(zadarma);
				form.put(field, bad);
				String signed = form.get("caller_id") + form.get("called_did") + form.get("call_start");
				MockHttpServletRequestBuilder request = post("/api/hooks/pbx/zadarma")
					.header("Signature", java.util.Base64.getEncoder()
						.encodeToString(
								hmac("HmacSHA1", "test-zadarma-secret", signed).getBytes(StandardCharsets.US_ASCII)));
				form.forEach(request::param);
				note(faults, "POST /api/hooks/pbx/zadarma " + field + "=" + cut(bad), request);
			}
		}
		for (String bad : List.of("", "\u0000", "sms_status", "sms_status\n\n", "sms_status\n1\nx",
				"sms_status\n" + "9".repeat(10_000) + "\n103", "sms_status\n1\n99999999999999999999")) {
			note(faults, "POST /api/hooks/sms/smsru data[0]=" + cut(bad),
					post("/api/hooks/sms/smsru/test-sms-secret").param("data[0]", bad));
		}
		assertThat(faults).isEmpty();
	}

	private void note(List<String> faults, String what, MockHttpServletRequestBuilder request) {
		try {
			int status = this.mvc.perform(request).andReturn().getResponse().getStatus();
			if (status >= 500) {
				faults.add(what + " answered " + status);
			}
		}
		catch (Exception ex) {
			faults.add(what + " answered 500: " + ex);
		}
	}

	private static String cut(String text) {
		return text.length() > 60 ? text.substring(0, 60) + "…" : text;
	}

	/**
	 * Sends the valid body, each field (at any depth) replaced by each bad value, and the
	 * garbage bodies; notes every 5xx.
	 */
	private void fuzz(List<String> faults, String endpoint, String valid,
			Function<String, MockHttpServletRequestBuilder> request) throws Exception {
		List<String> bodies = new ArrayList<>();
		bodies.add(valid);
		JsonNode root = this.json.readTree(valid);
		for (List<String> path : paths(root, new ArrayList<>())) {
			for (Object bad : BAD) {
				ObjectNode copy = (ObjectNode) root.deepCopy();
				ObjectNode parent = copy;
				for (String step : path.subList(0, path.size() - 1)) {
					parent = (ObjectNode) parent.get(step);
				}
				parent.set(path.get(path.size() - 1), this.json.readTree(bad.toString()));
				bodies.add(this.json.writeValueAsString(copy));
			}
			ObjectNode without = (ObjectNode) root.deepCopy();
			ObjectNode parent = without;
			for (String step : path.subList(0, path.size() - 1)) {
				parent = (ObjectNode) parent.get(step);
			}
			parent.remove(path.get(path.size() - 1));
			bodies.add(this.json.writeValueAsString(without));
		}
		bodies.addAll(GARBAGE);
		bodies.add("[" + valid + "," + valid + "]");
		for (String body : bodies) {
			int status;
			try {
				status = this.mvc.perform(request.apply(body)).andReturn().getResponse().getStatus();
			}
			catch (Exception ex) {
				// Unhandled here is a 500 in the server.
				status = 500;
				Throwable cause = ex;
				while (cause.getCause() != null) {
					cause = cause.getCause();
				}
				body = cause + " ← " + body;
			}
			if (status >= 500) {
				faults.add(endpoint + " answered " + status + " to "
						+ (body.length() > 300 ? body.substring(0, 300) + "…" : body));
			}
		}
	}

	private static List<List<String>> paths(JsonNode node, List<String> prefix) {
		List<List<String>> paths = new ArrayList<>();
		for (var entry : node.properties()) {
			List<String> path = new ArrayList<>(prefix);
			path.add(entry.getKey());
			paths.add(path);
			if (entry.getValue().isObject()) {
				paths.addAll(paths(entry.getValue(), path));
			}
		}
		return paths;
	}

	/**
	 * A request from an address of its own, so that no rate limit stands in for a check.
	 */
	private MockHttpServletRequestBuilder anonymous(MockHttpServletRequestBuilder request) {
		int n = this.address.incrementAndGet();
		return request.with(r -> {
			r.setRemoteAddr("10.77." + (n / 250) % 250 + "." + (1 + n % 250));
			return r;
		});
	}

	private MockHttpServletRequestBuilder mango(String kind, String body) {
		String sign = HexFormat.of().formatHex(sha256("test-vpbx" + body + "test-mango-salt"));
		return post("/api/hooks/pbx/mango/events/" + kind).param("vpbx_api_key", "test-vpbx")
			.param("sign", sign)
			.param("json", body);
	}

	private static byte[] sha256(String text) {
		try {
			return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String hmac(String algorithm, String key, String body) {
		try {
			Mac mac = Mac.getInstance(algorithm);
			mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
			return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
