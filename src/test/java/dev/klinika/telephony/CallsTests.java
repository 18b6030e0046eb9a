package dev.klinika.telephony;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.KlinikaTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Call events merged into calls whatever their order and however often they come, PBX
 * webhooks that refuse forgeries and garbage, and missed calls that become callbacks
 * until someone gets through.
 */
@KlinikaTest
class CallsTests {

	@Autowired
	Calls calls;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	MockMvc mvc;

	@Test
	void eventsReplayedTwiceShuffledEndInTheStateOfOnceInOrder() {
		// 2,000 events here; CallReplayBenchmark replays the full day of 10,000.
		assertThat(replayTwiceShuffled(2_000)).isPositive();
	}

	/**
	 * Applies a day of {@code size} events in order under one vendor name, and the same
	 * events twice, shuffled, under another; asserts the calls are the same; returns the
	 * milliseconds the shuffled replay took.
	 */
	long replayTwiceShuffled(int size) {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		List<CallEvent> day = day(size, new Random(7), "replay-a" + tag);
		apply(day);
		List<CallEvent> twice = new ArrayList<>();
		for (int round = 0; round < 2; round++) {
			for (CallEvent event : day) {
				twice.add(new CallEvent("replay-b" + tag, event.eventId(), event.callId(), event.kind(), event.at(),
						event.direction(), event.caller(), event.called(), event.employee(), event.recordingUrl()));
			}
		}
		Collections.shuffle(twice, new Random(11));
		long started = System.nanoTime();
		apply(twice);
		long took = (System.nanoTime() - started) / 1_000_000;
		List<String> once = state("replay-a" + tag);
		assertThat(once).hasSizeGreaterThan(size / 5);
		assertThat(state("replay-b" + tag)).isEqualTo(once);
		assertThat(events("replay-b" + tag)).isEqualTo(size);
		// About one call in ten is missed, as the articles say.
		long missed = once.stream().filter(row -> row.endsWith("|MISSED")).count();
		assertThat(missed).isBetween(once.size() / 20L, once.size() / 5L);
		return took;
	}

	@Test
	void aMissedCallGetsACallbackForTheBranchAdminsThatCallingBackCloses() {
		String caller = "+7916" + String.format("%07d", new Random().nextInt(9_999_999));
		String call = "missed-" + UUID.randomUUID();
		Instant now = Instant.now();
		this.calls.apply(new CallEvent("generic", call + ":1", call, CallEvent.Kind.STARTED, now.minusSeconds(40),
				CallEvent.Direction.IN, "8 (" + caller.substring(2, 5) + ") " + caller.substring(5), "+74950000000",
				null, null));
		var ended = this.calls.apply(new CallEvent("generic", call + ":2", call, CallEvent.Kind.ENDED,
				now.minusSeconds(10), CallEvent.Direction.IN, caller, "+74950000000", null, null));
		assertThat(ended.status()).isEqualTo("MISSED");
		await().atMost(Duration.ofSeconds(10)).until(() -> task(ended.call()) != null);
		Map<String, Object> task = task(ended.call());
		assertThat(task.get("kind")).isEqualTo("CALL_BACK");
		assertThat(task.get("owner_role")).isEqualTo("ADMIN");
		assertThat(task.get("status")).isEqualTo("OPEN");
		assertThat(((java.sql.Timestamp) task.get("due_at")).toInstant()).isBetween(
				now.minusSeconds(10).plus(Duration.ofMinutes(5)).minusSeconds(1),
				now.minusSeconds(10).plus(Duration.ofMinutes(5)).plusSeconds(1));
		// The admin calls back and gets through.
		String back = "back-" + UUID.randomUUID();
		this.calls.apply(new CallEvent("generic", back + ":1", back, CallEvent.Kind.STARTED, now,
				CallEvent.Direction.OUT, "+74950000000", caller, "101", null));
		this.calls.apply(new CallEvent("generic", back + ":2", back, CallEvent.Kind.ANSWERED, now.plusSeconds(5),
				CallEvent.Direction.OUT, "+74950000000", caller, "101", null));
		assertThat(task(ended.call()).get("status")).isEqualTo("DONE");
		assertThat(this.jdbc.sql("select handled_by from call where id = :id")
			.param("id", ended.call())
			.query(String.class)
			.single()).isEqualTo("callback");
	}

	@Test
	void theGenericWebhookRefusesForgeriesAndGarbageAndTakesEachEventOnce() throws Exception {
		String call = "hook-" + UUID.randomUUID();
		String body = "[{\"event_id\":\"" + call + ":1\",\"call_id\":\"" + call + "\",\"type\":\"started\","
				+ "\"at\":\"2026-12-01T10:00:00+03:00\",\"caller\":\"anonymous\",\"called\":\"+7 495 000-00-00\"},"
				+ "{\"event_id\":\"" + call + ":2\",\"call_id\":\"" + call + "\",\"type\":\"ended\","
				+ "\"at\":\"2026-12-01T10:00:30+03:00\"}]";
		this.mvc
			.perform(post("/api/hooks/pbx/generic").header("X-Klinika-Signature", "sha256=00")
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.detail").value("Неверная подпись вебхука."));
		for (int i = 0; i < 2; i++) {
			this.mvc
				.perform(post("/api/hooks/pbx/generic").header("X-Klinika-Signature", sign(body))
					.contentType(MediaType.APPLICATION_JSON)
					.content(body))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.new").value(i == 0 ? 2 : 0));
		}
		assertThat(this.jdbc.sql(
				"select coalesce(caller, 'hidden') || ' ' || called || ' ' || status from call where vendor_call_id = :c")
			.param("c", call)
			.query(String.class)
			.single()).isEqualTo("hidden +74950000000 MISSED");
		String broken = "[{\"event_id\":\"x\",\"call_id\":\"y\",\"type\":\"exploded\",\"at\":\"2026-12-01T10:00:00Z\"}]";
		this.mvc
			.perform(post("/api/hooks/pbx/generic").header("X-Klinika-Signature", sign(broken))
				.contentType(MediaType.APPLICATION_JSON)
				.content(broken))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("[0].type: exploded")));
		String noZone = "{\"event_id\":\"x\",\"call_id\":\"y\",\"type\":\"started\",\"at\":\"2026-12-01T10:00:00\"}";
		this.mvc
			.perform(post("/api/hooks/pbx/generic").header("X-Klinika-Signature", sign(noZone))
				.contentType(MediaType.APPLICATION_JSON)
				.content(noZone))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("[0].at")));
		this.mvc
			.perform(post("/api/hooks/pbx/generic").header("X-Klinika-Signature", sign("{oops"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{oops"))
			.andExpect(status().isBadRequest());
		assertThat(this.jdbc.sql("select count(*) from call where vendor_call_id = 'y'").query(Integer.class).single())
			.isZero();
	}

	@Test
	void zadarmaNotificationsAreCheckedByTheirSignatureAndBecomeCalls() throws Exception {
		this.mvc.perform(get("/api/hooks/pbx/zadarma").param("zd_echo", "abc123"))
			.andExpect(content().string("abc123"));
		String callStart = LocalDateTime.now(ZoneId.of("Europe/Moscow"))
			.minusSeconds(30)
			.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
		String pbxCall = "in_" + UUID.randomUUID().toString().replace("-", "");
		String caller = "7916" + String.format("%07d", new Random().nextInt(9_999_999));
		this.mvc
			.perform(post("/api/hooks/pbx/zadarma").header("Signature", "forged")
				.param("event", "NOTIFY_START")
				.param("call_start", callStart)
				.param("pbx_call_id", pbxCall)
				.param("caller_id", caller)
				.param("called_did", "74950000000"))
			.andExpect(status().isUnauthorized());
		this.mvc
			.perform(post("/api/hooks/pbx/zadarma").header("Signature", zadarma(caller + "74950000000" + callStart))
				.param("event", "NOTIFY_START")
				.param("call_start", callStart)
				.param("pbx_call_id", pbxCall)
				.param("caller_id", caller)
				.param("called_did", "74950000000"))
			.andExpect(status().isOk());
		this.mvc
			.perform(post("/api/hooks/pbx/zadarma").header("Signature", zadarma(caller + "74950000000" + callStart))
				.param("event", "NOTIFY_END")
				.param("call_start", callStart)
				.param("pbx_call_id", pbxCall)
				.param("caller_id", caller)
				.param("called_did", "74950000000")
				.param("internal", "101")
				.param("duration", "0")
				.param("disposition", "no answer"))
			.andExpect(status().isOk());
		assertThat(this.jdbc
			.sql("select caller || ' ' || status from call where vendor = 'zadarma' and vendor_call_id = :c")
			.param("c", pbxCall)
			.query(String.class)
			.single()).isEqualTo("+" + caller + " MISSED");
	}

	@Autowired
	dev.klinika.Logins logins;

	@Autowired
	CallerCard callerCards;

	@Test
	void theCallsScreenListsMissedCallsUntilHandledAndTagsOutcomes() throws Exception {
		String call = "screen-" + UUID.randomUUID();
		Instant now = Instant.now();
		String caller = "+7916" + String.format("%07d", new Random().nextInt(9_999_999));
		var missed = this.calls.apply(new CallEvent("generic", call + ":1", call, CallEvent.Kind.ENDED, now,
				CallEvent.Direction.IN, caller, "+74950000000", null, null));
		this.mvc.perform(get("/telephony/calls").param("missed", "true").with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("data-call=\"" + missed.call() + "\"")));
		this.mvc.perform(get("/telephony/calls").with(this.logins.as("doctor"))).andExpect(status().isForbidden());
		// The home page counts the calls to return for the reception, not for a doctor.
		int toCallBack = this.callerCards.toCallBack(dev.klinika.security.BranchScope.everything());
		assertThat(toCallBack).isPositive();
		this.mvc.perform(get("/").with(this.logins.as("owner")))
			.andExpect(content().string(org.hamcrest.Matchers.matchesPattern(
					"(?s).*id=\"reception-figures\".*telephony/calls\\?missed=true.*<dd>" + toCallBack + "</dd>.*")));
		this.mvc.perform(get("/").with(this.logins.as("doctor")))
			.andExpect(content()
				.string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("reception-figures"))));
		this.mvc
			.perform(post("/telephony/calls/{id}/outcome", missed.call()).with(this.logins.as("owner"))
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
				.param("outcome", "EXPLODED"))
			.andExpect(status().is3xxRedirection());
		this.mvc
			.perform(post("/telephony/calls/{id}/outcome", missed.call()).with(this.logins.as("owner"))
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
				.param("outcome", "PRICE")
				.param("comment", "спрашивала про МРТ"))
			.andExpect(status().is3xxRedirection());
		this.mvc
			.perform(post("/telephony/calls/{id}/handled", missed.call()).with(this.logins.as("owner"))
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
					.csrf()))
			.andExpect(status().is3xxRedirection());
		assertThat(this.jdbc.sql("select outcome || ' ' || comment || ' ' || handled_by from call where id = :id")
			.param("id", missed.call())
			.query(String.class)
			.single()).isEqualTo("PRICE спрашивала про МРТ owner");
		this.mvc.perform(get("/telephony/calls").param("missed", "true").with(this.logins.as("owner")))
			.andExpect(content().string(org.hamcrest.Matchers
				.not(org.hamcrest.Matchers.containsString("data-call=\"" + missed.call() + "\""))));
	}

	@Test
	void mangoOfficeCallStatesAndSummariesBecomeCallsAndForgeriesAreRefused() throws Exception {
		String entry = "mango-" + UUID.randomUUID();
		long now = Instant.now().getEpochSecond();
		String caller = "7916" + String.format("%07d", new Random().nextInt(9_999_999));
		String ring = "{\"entry_id\":\"" + entry + "\",\"call_id\":\"leg1\",\"timestamp\":" + (now - 30)
				+ ",\"seq\":1,\"call_state\":\"Appeared\",\"location\":\"abonent\",\"from\":{\"number\":\"" + caller
				+ "\"},\"to\":{\"extension\":\"101\",\"number\":\"sip:101@clinic\",\"line_number\":\"74950000000\"}}";
		this.mvc.perform(mango("call", ring, "forged")).andExpect(status().isUnauthorized());
		this.mvc.perform(mango("call", ring, null)).andExpect(status().isOk());
		String summary = "{\"entry_id\":\"" + entry + "\",\"call_direction\":1,\"from\":{\"number\":\"" + caller
				+ "\"},\"to\":{\"extension\":\"101\"},\"line_number\":\"74950000000\",\"create_time\":" + (now - 30)
				+ ",\"forward_time\":" + (now - 29) + ",\"talk_time\":0,\"end_time\":" + now
				+ ",\"entry_result\":0,\"disconnect_reason\":1110}";
		for (int i = 0; i < 2; i++) {
			this.mvc.perform(mango("summary", summary, null)).andExpect(status().isOk());
		}
		assertThat(this.jdbc.sql(
				"select caller || ' ' || line || ' ' || employee || ' ' || status from call where vendor = 'mango' and vendor_call_id = :e")
			.param("e", entry)
			.query(String.class)
			.single()).isEqualTo("+" + caller + " +74950000000 101 MISSED");
		this.mvc.perform(mango("call", "{not json", null)).andExpect(status().isBadRequest());
	}

	private org.springframework.test.web.servlet.RequestBuilder mango(String kind, String json, String sign)
			throws Exception {
		String signature = sign != null ? sign
				: HexFormat.of()
					.formatHex(java.security.MessageDigest.getInstance("SHA-256")
						.digest(("test-vpbx" + json + "test-mango-salt").getBytes(StandardCharsets.UTF_8)));
		return post("/api/hooks/pbx/mango/events/" + kind).param("vpbx_api_key", "test-vpbx")
			.param("sign", signature)
			.param("json", json);
	}

	@Autowired
	dev.klinika.patients.Timeline timeline;

	@Test
	void theDemoHasAMonthOfCallsOneInTenMissedAndCallsShowOnTheTimeline() {
		List<String> statuses = this.jdbc.sql("select status from call where vendor = 'demo'")
			.query(String.class)
			.list();
		assertThat(statuses).hasSizeGreaterThan(1000);
		long missed = statuses.stream().filter("MISSED"::equals).count();
		assertThat(missed).isBetween(statuses.size() / 20L, statuses.size() / 5L);
		assertThat(this.jdbc.sql("select count(distinct source_id) from call where vendor = 'demo'")
			.query(Integer.class)
			.single()).isGreaterThanOrEqualTo(2);
		long patient = this.jdbc.sql("""
				select patient_id from call where vendor = 'demo' and patient_id is not null and answered_at is not null
				 order by started_at desc limit 1
				""").query(Long.class).single();
		assertThat(this.timeline.page(patient, Instant.now(), 200)).extracting(dev.klinika.patients.TimelineEntry::kind)
			.contains("CALL_ANSWERED");
	}

	private void apply(List<CallEvent> events) {
		for (int i = 0; i < events.size(); i += 500) {
			List<CallEvent> chunk = events.subList(i, Math.min(events.size(), i + 500));
			this.transaction.executeWithoutResult(status -> chunk.forEach(this.calls::apply));
		}
	}

	private List<String> state(String vendor) {
		return this.jdbc.sql("""
				select vendor_call_id || '|' || direction || '|' || coalesce(caller, '') || '|' || coalesce(called, '')
				       || '|' || coalesce(line, '') || '|' || coalesce(employee, '') || '|' || started_at || '|'
				       || coalesce(answered_at::text, '') || '|' || coalesce(ended_at::text, '') || '|'
				       || coalesce(recording_url, '') || '|' || coalesce(patient_id::text, '') || '|' || status
				  from call where vendor = :v order by vendor_call_id
				""").param("v", vendor).query(String.class).list();
	}

	private int events(String vendor) {
		return this.jdbc.sql("select count(*) from call_event where vendor = :v")
			.param("v", vendor)
			.query(Integer.class)
			.single();
	}

	private Map<String, Object> task(long call) {
		return this.jdbc
			.sql("select kind, owner_role, status, due_at from task where cause_type = 'call' and cause_id = :c")
			.param("c", call)
			.query()
			.listOfRows()
			.stream()
			.findFirst()
			.orElse(null);
	}

	/**
	 * A day two days ago: calls every few seconds, each started, most answered, all
	 * ended, some recorded; about one in ten missed.
	 */
	static List<CallEvent> day(int size, Random random, String vendor) {
		List<CallEvent> events = new ArrayList<>(size);
		Instant morning = Instant.now().minus(Duration.ofDays(2));
		int n = 0;
		while (events.size() < size) {
			String call = "c" + n;
			Instant start = morning.plusSeconds(n * 7L);
			String caller = random.nextInt(20) == 0 ? null : "+7916" + String.format("%07d", random.nextInt(9_999_999));
			String employee = "10" + random.nextInt(10);
			boolean answered = random.nextInt(10) != 0;
			List<CallEvent> call1 = new ArrayList<>();
			call1.add(new CallEvent(vendor, call + ":s", call, CallEvent.Kind.STARTED, start, CallEvent.Direction.IN,
					caller, "+74950000000", employee, null));
			call1.add(new CallEvent(vendor, call + ":r", call, CallEvent.Kind.RINGING, start.plusSeconds(1),
					CallEvent.Direction.IN, caller, "+74950000000", employee, null));
			Instant end = start.plusSeconds(20 + random.nextInt(300));
			if (answered) {
				call1.add(new CallEvent(vendor, call + ":a", call, CallEvent.Kind.ANSWERED,
						start.plusSeconds(3 + random.nextInt(15)), CallEvent.Direction.IN, caller, "+74950000000",
						employee, null));
			}
			call1.add(new CallEvent(vendor, call + ":e", call, CallEvent.Kind.ENDED, end, CallEvent.Direction.IN,
					caller, "+74950000000", employee, null));
			if (answered && random.nextBoolean()) {
				call1.add(new CallEvent(vendor, call + ":rec", call, CallEvent.Kind.RECORDING, end.plusSeconds(5),
						CallEvent.Direction.IN, null, null, null, "https://pbx.example/rec/" + call + ".mp3"));
			}
			for (CallEvent event : call1) {
				if (events.size() < size) {
					events.add(event);
				}
			}
			n++;
		}
		return events;
	}

	private static String sign(String body) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec("test-pbx-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * As Zadarma's SDK signs: base64_encode(hash_hmac('sha1', ...)), and PHP's hash_hmac
	 * answers hex text.
	 */
	private static String zadarma(String signed) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA1");
		mac.init(new SecretKeySpec("test-zadarma-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
		String hex = HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
		return Base64.getEncoder().encodeToString(hex.getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void signsLikeZadarmasSdk() throws Exception {
		// printf '%s' "$S" | openssl dgst -sha1 -hmac test-zadarma-secret | awk '{print
		// $2}' | tr -d '\n' | base64
		assertThat(zadarma("79161234567749500000002026-12-02 10:00:00"))
			.isEqualTo("ZjhhNjBjNjU2NDgzNjI1ZDZmM2EyMzg3NmQwNzk1ZjU3ODM4MzVjMQ==")
			.hasSize(56);
	}

	@Test
	void takesZadarmasRecordingNoticeAndRefusesOversizedFields() throws Exception {
		String callStart = LocalDateTime.now(ZoneId.of("Europe/Moscow"))
			.minusSeconds(60)
			.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
		String pbxCall = "in_" + UUID.randomUUID().toString().replace("-", "");
		String caller = "7916" + String.format("%07d", new Random().nextInt(9_999_999));
		// The recording's notice first: it knows no direction or numbers.
		String recording = "rec" + UUID.randomUUID().toString().substring(0, 8);
		this.mvc
			.perform(post("/api/hooks/pbx/zadarma").header("Signature", zadarma(pbxCall + recording))
				.param("event", "NOTIFY_RECORD")
				.param("pbx_call_id", pbxCall)
				.param("call_id_with_rec", recording))
			.andExpect(status().isOk());
		this.mvc
			.perform(post("/api/hooks/pbx/zadarma").header("Signature", zadarma("101" + caller + callStart))
				.param("event", "NOTIFY_OUT_START")
				.param("call_start", callStart)
				.param("pbx_call_id", pbxCall)
				.param("internal", "101")
				.param("destination", caller))
			.andExpect(status().isOk());
		assertThat(this.jdbc.sql("""
				select direction || ' ' || called || ' ' || recording_url from call
				 where vendor = 'zadarma' and vendor_call_id = :c
				""").param("c", pbxCall).query(String.class).single())
			.isEqualTo("OUT +" + caller + " zadarma:" + recording);
		String longId = "x".repeat(201);
		this.mvc
			.perform(post("/api/hooks/pbx/zadarma").header("Signature", zadarma(caller + "74950000000" + callStart))
				.param("event", "NOTIFY_START")
				.param("call_start", callStart)
				.param("pbx_call_id", longId)
				.param("caller_id", caller)
				.param("called_did", "74950000000"))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("pbx_call_id")));
	}

	@Test
	void capsTheGenericWebhooksBodyAndRefusesOversizedFields() throws Exception {
		StringBuilder many = new StringBuilder("[");
		for (int i = 0; i <= 1000; i++) {
			many.append(i == 0 ? "" : ",")
				.append("{\"event_id\":\"e")
				.append(i)
				.append("\",\"call_id\":\"c\",\"type\":\"ringing\",\"at\":\"2026-12-01T10:00:00Z\"}");
		}
		String tooMany = many.append("]").toString();
		this.mvc.perform(post("/api/hooks/pbx/generic").header("X-Klinika-Signature", sign(tooMany)).content(tooMany))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("1000")));
		String huge = "[" + "\"x\",".repeat(300_000) + "\"x\"]";
		this.mvc.perform(post("/api/hooks/pbx/generic").header("X-Klinika-Signature", sign(huge)).content(huge))
			.andExpect(status().isPayloadTooLarge());
		String employee = """
				{"event_id":"e-long","call_id":"c-long","type":"ringing","at":"2026-12-01T10:00:00Z","employee":"%s"}
				""".formatted("x".repeat(101));
		this.mvc.perform(post("/api/hooks/pbx/generic").header("X-Klinika-Signature", sign(employee)).content(employee))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("employee")));
	}

}
