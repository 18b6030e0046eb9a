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

	@Autowired
	CallSettling settling;

	@Test
	void eventsReplayedTwiceShuffledEndInTheStateOfOnceInOrder() {
		// 2,000 events here; CallReplayBenchmark replays the full day of 10,000.
		assertThat(replayTwiceShuffled(2_000)).isPositive();
	}

	/**
	 * Applies a day of {@code size} events (from this morning: callbacks and leads are
	 * made) in order under one vendor name, and the same events twice, shuffled, under
	 * another, each run in one transaction, then settles the calls; asserts that every
	 * column of the calls, their callback tasks and their leads is the same (but ids and
	 * the clock times of processing); returns the milliseconds the shuffled replay took.
	 * Strangers call from other numbers in each run (else the second run's calls would
	 * join the first run's open leads), mapped back before comparing; regular patients
	 * call from the same numbers in both.
	 */
	/** How long the last replay's run in order took: the baseline of the shuffled one. */
	long inOrderMillis;

	long replayTwiceShuffled(int size) {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		List<String> regulars = this.jdbc.sql("""
				select min(pp.number) from patient_phone pp
				 where pp.number like '+79%' and pp.number not like '+7936%' and pp.number not like '+7937%'
				   and not exists (select 1 from call c where c.caller = pp.number)
				 group by pp.patient_id order by pp.patient_id limit 15
				""").query(String.class).list();
		assertThat(regulars).hasSize(15);
		Instant morning = Instant.now().minus(Duration.ofHours(6));
		// The day's calls ring on a line of a branch of their own, so that its callbacks
		// crowd no other test's task lists.
		long branch = this.jdbc.sql("""
				insert into branch (name, address, time_zone) values (:n, 'Звонковая, 1', 'Europe/Moscow') returning id
				""").param("n", "Линия " + tag).query(Long.class).single();
		String line = "+7495" + String.format("%07d", new Random().nextInt(9_999_999));
		this.jdbc.sql("insert into phone_line (number, branch_id) values (:n, :b)")
			.param("n", line)
			.param("b", branch)
			.update();
		String a = "replay-a" + tag;
		String b = "replay-b" + tag;
		List<CallEvent> inOrder = busyDay(size, new Random(7), a, morning, line, "+7936", regulars);
		List<CallEvent> twice = new ArrayList<>();
		for (int round = 0; round < 2; round++) {
			twice.addAll(busyDay(size, new Random(7), b, morning, line, "+7937", regulars));
		}
		Collections.shuffle(twice, new Random(11));
		long inOrderStarted = System.nanoTime();
		this.transaction.executeWithoutResult(status -> inOrder.forEach(this.calls::apply));
		this.inOrderMillis = (System.nanoTime() - inOrderStarted) / 1_000_000;
		long started = System.nanoTime();
		this.transaction.executeWithoutResult(status -> twice.forEach(this.calls::apply));
		long took = (System.nanoTime() - started) / 1_000_000;
		// The node's own settling may hold some of them: each is settled once, by either.
		this.settling.settleDue();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.jdbc.sql("""
				select count(*) from call where vendor in (:a, :b) and ended_at is not null and settled_at is null
				""").param("a", a).param("b", b).query(Integer.class).single() == 0);
		// Leads are made after the settling commits, by the leads module.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(leads(a)).hasSize(expectedLeads(a)));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(leads(b)).hasSize(expectedLeads(b)));
		List<Map<String, Object>> once = calls(a);
		assertThat(once).hasSizeGreaterThan(size / 6);
		assertThat(events(b)).isEqualTo(size);
		assertThat(mapped(calls(b))).containsExactlyElementsOf(once);
		List<Map<String, Object>> tasks = tasks(a);
		assertThat(mapped(tasks(b))).containsExactlyElementsOf(tasks);
		List<Map<String, Object>> leads = leads(a);
		assertThat(mapped(leads(b))).containsExactlyElementsOf(leads);
		// About one call in ten is missed, as the articles say; a regular's missed call
		// is called back by their next call that got through, and only the rest are
		// tasks; each stranger's call is a lead, contacted when it was answered.
		long missed = once.stream().filter(row -> "MISSED".equals(row.get("status"))).count();
		assertThat(missed).isBetween(once.size() / 20L, once.size() / 5L);
		long handled = once.stream().filter(row -> "callback".equals(row.get("handled_by"))).count();
		assertThat(handled).isPositive();
		assertThat(tasks).hasSize((int) (missed - handled));
		assertThat(leads).isNotEmpty()
			.anyMatch(lead -> lead.get("contacted_at") != null)
			.anyMatch(lead -> lead.get("contacted_at") == null);
		// The employee is the one who answered, not whoever's leg rang first.
		assertThat(once).filteredOn(row -> "ANSWERED".equals(row.get("status")))
			.allMatch(row -> row.get("employee") != null && !"199".equals(row.get("employee")));
		return took;
	}

	/** Every column of a run's calls but the id and the times of processing. */
	private List<Map<String, Object>> calls(String vendor) {
		return this.jdbc.sql("""
				select vendor_call_id, direction, caller, called, line, branch_id, employee, started_at, answered_at,
				       ended_at, recording_url, patient_id, source_id, campaign, outcome, comment, handled_at,
				       handled_by, status
				  from call where vendor = :v order by vendor_call_id
				""").param("v", vendor).query().listOfRows();
	}

	/**
	 * Every column of the tasks a run's calls caused, but ids and the clock's times (a
	 * callback whose promise has passed is due at once, "now").
	 */
	private List<Map<String, Object>> tasks(String vendor) {
		return this.jdbc
			.sql("""
					select c.vendor_call_id, t.title, t.kind, t.patient_id, t.branch_id, t.owner_user_id, t.owner_role,
					       t.due_at >= c.ended_at + interval '5 minutes' as due_after_promise, t.priority, t.status, t.outcome, t.note, t.cause_type, t.service_id, t.rule_id,
					       t.created_by, t.closed_by
					  from task t join call c on t.cause_type = 'call' and t.cause_id = c.id
					 where c.vendor = :v order by c.vendor_call_id
					""")
			.param("v", vendor)
			.query()
			.listOfRows();
	}

	/**
	 * Every column of the leads a run's calls made, but ids and the escalation's clock
	 * time.
	 */
	private List<Map<String, Object>> leads(String vendor) {
		return this.jdbc.sql("""
				select c.vendor_call_id, l.branch_id, l.channel, l.name, l.phone, l.email, l.interest, l.patient_id,
				       l.source_id, l.campaign, l.utm_source, l.utm_medium, l.utm_campaign, l.utm_content, l.utm_term,
				       l.page, l.stage, l.stage_at, l.lost_reason_id, l.lost_comment, l.created_at, l.sla_due_at,
				       l.contacted_at, l.contacted_by, l.booked_at, l.appointment_id, l.touches, l.last_touch_at,
				       l.search, t.channel as touch_channel, t.at as touch_at, t.note as touch_note
				  from lead_touch t join lead l on l.id = t.lead_id
				  join call c on t.origin = 'call:' || c.id
				 where c.vendor = :v order by c.vendor_call_id
				""").param("v", vendor).query().listOfRows();
	}

	private int expectedLeads(String vendor) {
		return this.jdbc
			.sql("""
					select count(*) from call where vendor = :v and direction = 'IN' and patient_id is null and settled_at is not null
					   and caller like '+%'
					""")
			.param("v", vendor)
			.query(Integer.class)
			.single();
	}

	/**
	 * A second run's rows with its strangers' numbers (and their display) as the first
	 * run's.
	 */
	private static List<Map<String, Object>> mapped(List<Map<String, Object>> rows) {
		return rows.stream().map(row -> {
			Map<String, Object> copy = new java.util.LinkedHashMap<>();
			row.forEach(
					(column, value) -> copy.put(column,
							value instanceof String text ? text.replace("+7937", "+7936")
								.replace(dev.klinika.shared.PhoneNumber.displayOf("+79370000000").substring(0, 6),
										dev.klinika.shared.PhoneNumber.displayOf("+79360000000").substring(0, 6))
									: value));
			return copy;
		}).toList();
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
			.andExpect(content().string(org.hamcrest.Matchers.containsString("data-call=\"" + missed.call() + "\"")))
			// A call nobody tagged shows no outcome chosen (it was "Записался" on every
			// row).
			.andExpect(content().string(org.hamcrest.Matchers.matchesPattern("(?s).*data-call=\"" + missed.call()
					+ "\".*?<select name=\"outcome\" required[^>]*>\\s*<option value=\"\" selected=\"selected\">— итог —</option>.*")));
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
	void theCallsScreenNamesThePeopleNotTheirExtensions() throws Exception {
		String call = "named-" + UUID.randomUUID();
		Instant now = Instant.now();
		String caller = "+7916" + String.format("%07d", new Random().nextInt(9_999_999));
		// Extension 100 is the demo's "admin".
		this.calls.apply(new CallEvent("generic", call + ":1", call, CallEvent.Kind.ANSWERED, now.minusSeconds(30),
				CallEvent.Direction.IN, caller, "+74950000000", "100", null));
		String admin = this.jdbc.sql("select full_name from app_user where username = 'admin'")
			.query(String.class)
			.single();
		this.mvc.perform(get("/telephony/calls").with(this.logins.as("owner")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Сотрудник: " + admin)))
			.andExpect(content()
				.string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Сотрудник: 100<"))));
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

	@Test
	void mangoStringTimesOutgoingCallsAndRecordingsFirstAreReadAsMangoMeansThem() throws Exception {
		long now = Instant.now().getEpochSecond();
		String patient = "7916" + String.format("%07d", new Random().nextInt(9_999_999));
		// Times as strings, as in Mango's own examples.
		String in = "mango-" + UUID.randomUUID();
		this.mvc
			.perform(mango("call",
					"{\"entry_id\":\"" + in + "\",\"call_id\":\"l1\",\"timestamp\":\"" + (now - 90)
							+ "\",\"seq\":\"1\",\"call_state\":\"Appeared\",\"from\":{\"number\":\"" + patient
							+ "\"},\"to\":{\"extension\":\"101\",\"line_number\":\"74950000000\"}}",
					null))
			.andExpect(status().isOk());
		assertThat(this.jdbc.sql("select started_at from call where vendor = 'mango' and vendor_call_id = :e")
			.param("e", in)
			.query(java.time.OffsetDateTime.class)
			.single()
			.toInstant()).isEqualTo(Instant.ofEpochSecond(now - 90));
		// An outgoing call: its recording's notice first, then the employee's leg, then
		// the summary.
		String out = "mango-" + UUID.randomUUID();
		this.mvc
			.perform(mango("record/added",
					"{\"entry_id\":\"" + out + "\",\"recording_id\":\"rec-" + out
							+ "\",\"recording_state\":\"Completed\",\"timestamp\":" + now + "}",
					null))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.accepted").value(1));
		this.mvc.perform(mango("call", "{\"entry_id\":\"" + out + "\",\"call_id\":\"o1\",\"timestamp\":" + (now - 60)
				+ ",\"seq\":1,\"call_state\":\"Connected\",\"from\":{\"extension\":\"102\",\"number\":\"sip:102@clinic\"},"
				+ "\"to\":{\"number\":\"" + patient + "\"},\"line_number\":\"74950000000\"}", null))
			.andExpect(status().isOk());
		this.mvc
			.perform(mango("summary", "{\"entry_id\":\"" + out
					+ "\",\"call_direction\":2,\"from\":{\"extension\":\"102\"}," + "\"to\":{\"number\":\"" + patient
					+ "\"},\"line_number\":\"74950000000\",\"create_time\":\"" + (now - 70) + "\",\"talk_time\":\""
					+ (now - 60) + "\",\"end_time\":\"" + (now - 10) + "\",\"entry_result\":1}", null))
			.andExpect(status().isOk());
		assertThat(this.jdbc
			.sql("""
					select direction || ' ' || caller || ' ' || called || ' ' || employee || ' ' || status || ' ' || recording_url
					  from call where vendor = 'mango' and vendor_call_id = :e
					""")
			.param("e", out)
			.query(String.class)
			.single()).isEqualTo("OUT +74950000000 +" + patient + " 102 ANSWERED mango:rec-" + out);
		// Times out of any range are refused with the field's name, and nothing is kept.
		String bad = "mango-" + UUID.randomUUID();
		this.mvc
			.perform(mango("summary",
					"{\"entry_id\":\"" + bad + "\",\"call_direction\":1,\"from\":{\"number\":\"" + patient
							+ "\"},\"create_time\":" + now + ",\"end_time\":99999999999999999,\"entry_result\":0}",
					null))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("end_time")));
		this.mvc
			.perform(mango("call",
					"{\"entry_id\":\"" + bad + "\",\"call_id\":\"b\",\"timestamp\":\"soon\",\"seq\":1,"
							+ "\"call_state\":\"Appeared\",\"from\":{\"number\":\"" + patient + "\"}}",
					null))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("timestamp")));
		assertThat(this.jdbc.sql("select count(*) from call where vendor_call_id = :e")
			.param("e", bad)
			.query(Integer.class)
			.single()).isZero();
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
	 * A busy day from {@code morning}: a call every 7 seconds; a third of them from
	 * regular patients (who call again), the rest from strangers (a new number each,
	 * under {@code strangers}' prefix) or hidden; two extensions ring, and the one that
	 * answers is not the one that rang first; about one in ten missed; some recorded.
	 */
	static List<CallEvent> busyDay(int size, Random random, String vendor, Instant morning, String ours,
			String strangers, List<String> regulars) {
		List<CallEvent> events = new ArrayList<>(size);
		int n = 0;
		while (events.size() < size) {
			String call = "c" + n;
			Instant start = morning.plusSeconds(n * 7L);
			int who = random.nextInt(30);
			String caller = who == 0 ? null : who < 10 && !regulars.isEmpty()
					? regulars.get(random.nextInt(regulars.size())) : strangers + String.format("%07d", n);
			String employee = "10" + random.nextInt(10);
			boolean answered = random.nextInt(10) != 0;
			List<CallEvent> call1 = new ArrayList<>();
			call1.add(new CallEvent(vendor, call + ":s", call, CallEvent.Kind.STARTED, start, CallEvent.Direction.IN,
					caller, ours, null, null));
			call1.add(new CallEvent(vendor, call + ":r1", call, CallEvent.Kind.RINGING, start.plusSeconds(1),
					CallEvent.Direction.IN, caller, ours, "199", null));
			call1.add(new CallEvent(vendor, call + ":r2", call, CallEvent.Kind.RINGING, start.plusSeconds(1),
					CallEvent.Direction.IN, caller, ours, employee, null));
			Instant end = start.plusSeconds(20 + random.nextInt(300));
			if (answered) {
				call1.add(new CallEvent(vendor, call + ":a", call, CallEvent.Kind.ANSWERED,
						start.plusSeconds(3 + random.nextInt(15)), CallEvent.Direction.IN, caller, ours, employee,
						null));
			}
			call1.add(new CallEvent(vendor, call + ":e", call, CallEvent.Kind.ENDED, end, CallEvent.Direction.IN,
					caller, ours, null, null));
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

	/**
	 * A day two days ago (history: no callbacks or leads are made for it), of strangers'
	 * calls.
	 */
	static List<CallEvent> day(int size, Random random, String vendor) {
		return busyDay(size, random, vendor, Instant.now().minus(Duration.ofDays(2)), "+74950000000", "+7938",
				List.of());
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
