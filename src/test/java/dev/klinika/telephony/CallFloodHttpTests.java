package dev.klinika.telephony;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of PBX webhooks over real HTTP: a day of events in batches, every batch sent
 * twice, shuffled, from eight connections at once, with forged and broken requests mixed
 * in. The forgeries and the garbage are refused, and the calls end exactly as the same
 * events applied once in order: nothing lost, nothing doubled.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class CallFloodHttpTests {

	static final int EVENTS = 2_000;

	static final int BATCH = 25;

	@LocalServerPort
	int port;

	@Autowired
	Calls calls;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aFloodOfDuplicatedShuffledWebhooksEndsAsOnceInOrder() throws Exception {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		List<CallEvent> day = CallsTests.day(EVENTS, new Random(3), "generic")
			.stream()
			.map(e -> new CallEvent("generic", tag + e.eventId(), tag + e.callId(), e.kind(), e.at(), e.direction(),
					e.caller(), e.called(), e.employee(), e.recordingUrl()))
			.toList();
		// The reference: the same day once, in order, under another vendor name.
		for (CallEvent e : day) {
			this.calls.apply(new CallEvent("ref" + tag, e.eventId(), e.callId(), e.kind(), e.at(), e.direction(),
					e.caller(), e.called(), e.employee(), e.recordingUrl()));
		}
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < day.size(); i += BATCH) {
			String body = json(day.subList(i, Math.min(day.size(), i + BATCH)));
			bodies.add(body);
			bodies.add(body);
		}
		Collections.shuffle(bodies, new Random(5));
		List<Request> requests = new ArrayList<>();
		bodies.forEach(body -> requests.add(new Request(body, sign(body), 200)));
		for (int i = 0; i < 20; i++) {
			String body = bodies.get(i);
			requests.add((i * 7) % requests.size(), new Request(body, "sha256=" + "0".repeat(64), 401));
			String broken = "[{\"event_id\":\"" + tag + "bad" + i + "\",\"call_id\":\"x\",\"type\":\"exploded\"}";
			requests.add((i * 11) % requests.size(), new Request(broken, sign(broken), 400));
		}
		HttpClient client = HttpClient.newBuilder().build();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		AtomicInteger fresh = new AtomicInteger();
		long started = System.nanoTime();
		try {
			List<Future<Integer>> answers = new ArrayList<>();
			for (Request request : requests) {
				answers.add(pool.submit(() -> {
					HttpResponse<String> response = client.send(HttpRequest
						.newBuilder(URI.create("http://localhost:" + this.port + "/api/hooks/pbx/generic"))
						.header("Content-Type", "application/json")
						.header("X-Klinika-Signature", request.signature())
						.POST(HttpRequest.BodyPublishers.ofString(request.body()))
						.build(), HttpResponse.BodyHandlers.ofString());
					if (response.statusCode() == 200) {
						var matcher = java.util.regex.Pattern.compile("\"new\":(\\d+)").matcher(response.body());
						assertThat(matcher.find()).isTrue();
						fresh.addAndGet(Integer.parseInt(matcher.group(1)));
					}
					return response.statusCode() == request.expected() ? 0 : response.statusCode();
				}));
			}
			for (Future<Integer> answer : answers) {
				assertThat(answer.get()).as("a request answered otherwise than expected").isZero();
			}
		}
		finally {
			pool.shutdownNow();
		}
		long millis = (System.nanoTime() - started) / 1_000_000;
		System.out.printf(
				"Flood: %d requests (%d events, each twice, shuffled, 8 connections) in %d ms: %.0f events/s%n",
				requests.size(), EVENTS, millis, EVENTS * 2 * 1000.0 / Math.max(1, millis));
		assertThat(fresh.get()).as("events taken as new").isEqualTo(EVENTS);
		assertThat(state("generic", tag)).isEqualTo(state("ref" + tag, tag));
		assertThat(this.jdbc.sql("select count(*) from call_event where vendor = 'generic' and event_id like :t")
			.param("t", tag + "%")
			.query(Integer.class)
			.single()).isEqualTo(EVENTS);
	}

	record Request(String body, String signature, int expected) {
	}

	private List<String> state(String vendor, String tag) {
		return this.jdbc
			.sql("""
					select vendor_call_id || '|' || coalesce(caller, '') || '|' || coalesce(employee, '') || '|' || started_at
					       || '|' || coalesce(answered_at::text, '') || '|' || coalesce(ended_at::text, '') || '|'
					       || coalesce(recording_url, '') || '|' || status
					  from call where vendor = :v and vendor_call_id like :t order by vendor_call_id
					""")
			.param("v", vendor)
			.param("t", tag + "%")
			.query(String.class)
			.list();
	}

	private static String json(List<CallEvent> events) {
		StringBuilder json = new StringBuilder("[");
		for (CallEvent e : events) {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append("{\"event_id\":\"")
				.append(e.eventId())
				.append("\",\"call_id\":\"")
				.append(e.callId())
				.append("\",\"type\":\"")
				.append(e.kind().name().toLowerCase())
				.append("\",\"at\":\"")
				.append(e.at())
				.append('"');
			field(json, "caller", e.caller());
			field(json, "called", e.called());
			field(json, "employee", e.employee());
			field(json, "recording_url", e.recordingUrl());
			json.append('}');
		}
		return json.append(']').toString();
	}

	private static void field(StringBuilder json, String name, String value) {
		if (value != null) {
			json.append(",\"").append(name).append("\":\"").append(value).append('"');
		}
	}

	private static String sign(String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec("test-pbx-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
