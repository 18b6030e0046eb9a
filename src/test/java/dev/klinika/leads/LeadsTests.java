package dev.klinika.leads;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;
import dev.klinika.security.BranchScope;
import dev.klinika.telephony.CallEvent;
import dev.klinika.telephony.CallSimulator;
import dev.klinika.telephony.Calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Leads from calls, forms and messages, one per person while open; the funnel moved by
 * people and by visits; the response promise and its escalation; the website form's
 * refusals; the senior admin's report.
 */
@KlinikaTest
class LeadsTests {

	@Autowired
	Calls calls;

	@Autowired
	Leads leads;

	@Autowired
	LeadSla sla;

	@Autowired
	LeadQueries queries;

	@Autowired
	LeadReport report;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	CallSimulator simulator;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Test
	void aStrangersCallIsALeadWithItsLinesSourceAndTheAnswerStopsTheClock() {
		String phone = phone();
		String line = "+7495" + String.format("%07d", new Random().nextInt(9_999_999));
		long source = this.jdbc.sql("select id from patient_source where name = 'ВКонтакте'")
			.query(Long.class)
			.single();
		long branch = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
		this.jdbc.sql("insert into phone_line (number, branch_id, source_id, campaign) values (:n, :b, :s, 'ВК: зима')")
			.param("n", line)
			.param("b", branch)
			.param("s", source)
			.update();
		String call = "lead-" + UUID.randomUUID();
		Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		List<CallEvent> events = List.of(
				new CallEvent("generic", call + ":1", call, CallEvent.Kind.RINGING, now.minusSeconds(60),
						CallEvent.Direction.IN, "8" + phone.substring(2), line, "100", null),
				new CallEvent("generic", call + ":2", call, CallEvent.Kind.ENDED, now.minusSeconds(40),
						CallEvent.Direction.IN, phone, line, null, null));
		// While it rings, nothing is decided yet: the lead comes when the call is over.
		this.calls.apply(events.get(0));
		assertThat(lead(phone)).isNull();
		this.calls.apply(events.get(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> lead(phone) != null);
		Map<String, Object> lead = lead(phone);
		assertThat(lead).containsEntry("channel", "CALL")
			.containsEntry("source_id", source)
			.containsEntry("campaign", "ВК: зима")
			.containsEntry("branch_id", branch)
			.containsEntry("stage", "NEW");
		assertThat(((java.sql.Timestamp) lead.get("created_at")).toInstant()).isEqualTo(now.minusSeconds(60));
		assertThat(lead.get("contacted_at")).isNull();
		// They call again and get through to extension 100, the demo's "admin": the same
		// lead, contacted then.
		String again = "lead-" + UUID.randomUUID();
		List<CallEvent> second = List.of(
				new CallEvent("generic", again + ":1", again, CallEvent.Kind.RINGING, now.minusSeconds(30),
						CallEvent.Direction.IN, phone, line, null, null),
				new CallEvent("generic", again + ":2", again, CallEvent.Kind.ANSWERED, now.minusSeconds(20),
						CallEvent.Direction.IN, phone, line, "100", null),
				new CallEvent("generic", again + ":3", again, CallEvent.Kind.ENDED, now.minusSeconds(10),
						CallEvent.Direction.IN, phone, line, null, null));
		second.forEach(this.calls::apply);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "IN_PROGRESS".equals(lead(phone).get("stage")) && (Integer) lead(phone).get("touches") == 2);
		assertThat(lead(phone)).containsEntry("contacted_by", "admin");
		assertThat(((java.sql.Timestamp) lead(phone).get("contacted_at")).toInstant()).isEqualTo(now.minusSeconds(20));
		long id = (Long) lead(phone).get("id");
		assertThat(this.queries.history(id)).extracting(LeadQueries.Move::to, LeadQueries.Move::auto)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(LeadStage.NEW, true),
					org.assertj.core.groups.Tuple.tuple(LeadStage.IN_PROGRESS, true));
		// The same events again change nothing.
		events.forEach(this.calls::apply);
		second.forEach(this.calls::apply);
		assertThat(lead(phone)).containsEntry("touches", 2);
		assertThat(this.jdbc.sql("select count(*) from lead where phone = :p")
			.param("p", phone)
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aBookingAnArrivalAndACourseMoveTheLeadByThemselves() {
		OwnClinicAccess.Ids clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		String phone = phone();
		long patient = this.jdbc.sql("""
				insert into patient (surname, name, home_branch_id) values ('Лидова', 'Анна', :b) returning id
				""").param("b", clinic.branch()).query(Long.class).single();
		Leads.Taken taken = this.leads.take(inquiry("form:" + UUID.randomUUID(), phone, Instant.now()));
		assertThat(taken.created()).isTrue();
		// The card is made after the inquiry: the booking finds the lead by the card's
		// number.
		this.jdbc.sql("insert into patient_phone (patient_id, number, main) values (:p, :n, true)")
			.param("p", patient)
			.param("n", phone)
			.update();
		Instant monday = LocalDate.now(ZoneId.of("Europe/Moscow"))
			.plusWeeks(7)
			.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
			.atTime(10, 0)
			.atZone(ZoneId.of("Europe/Moscow"))
			.toInstant();
		Appointment visit = this.booking
			.book(new Booking.Request(patient, clinic.plainService(), clinic.first(), clinic.branch(), monday, null));
		await().atMost(Duration.ofSeconds(10)).until(() -> "BOOKED".equals(stage(taken.lead())));
		assertThat(this.jdbc.sql("select patient_id from lead where id = :id")
			.param("id", taken.lead())
			.query(Long.class)
			.single()).isEqualTo(patient);
		this.lifecycle.checkIn(visit.id());
		await().atMost(Duration.ofSeconds(10)).until(() -> "CAME".equals(stage(taken.lead())));
		this.lifecycle.complete(visit.id());
		// A later, separate visit: the person came back.
		Appointment later = this.booking.book(new Booking.Request(patient, clinic.plainService(), clinic.first(),
				clinic.branch(), monday.plus(Duration.ofDays(2)), null));
		this.lifecycle.checkIn(later.id());
		await().atMost(Duration.ofSeconds(10)).until(() -> "CAME_BACK".equals(stage(taken.lead())));
		assertThat(this.queries.history(taken.lead())).extracting(LeadQueries.Move::to)
			.containsExactly(LeadStage.NEW, LeadStage.BOOKED, LeadStage.CAME, LeadStage.CAME_BACK);
		assertThat(this.queries.history(taken.lead())).allMatch(LeadQueries.Move::auto);
		// The way through the funnel is on the patient's timeline.
		assertThat(this.timeline.page(patient, Instant.now().plusSeconds(1), 100))
			.extracting(dev.klinika.patients.TimelineEntry::kind)
			.contains("LEAD_NEW", "LEAD_BOOKED", "LEAD_CAME", "LEAD_CAME_BACK");
	}

	@Autowired
	dev.klinika.patients.Timeline timeline;

	@Test
	void aLateLeadGoesToTheSeniorAdminOnceAndANotBookedOneGetsTheRulesFollowUp() throws Exception {
		String phone = phone();
		Leads.Taken taken = this.leads.take(inquiry("form:" + UUID.randomUUID(), phone, Instant.now()));
		this.jdbc.sql("""
				update lead set sla_due_at = now() - interval '1 minute', created_at = now() - interval '2 hours'
				 where id = :id
				""").param("id", taken.lead()).update();
		assertThat(this.queries.find(taken.lead(), BranchScope.everything()).orElseThrow().late(Instant.now()))
			.isTrue();
		this.sla.escalate();
		this.sla.escalate();
		List<Map<String, Object>> late = tasks(taken.lead());
		assertThat(late).filteredOn(task -> "SENIOR_ADMIN".equals(task.get("owner_role")))
			.singleElement()
			.satisfies(task -> assertThat((String) task.get("title")).contains("Нет ответа на обращение вовремя"));
		this.sla.notBooked();
		this.sla.notBooked();
		// The rules take the lead's event after the commit.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> tasks(taken.lead()).stream().anyMatch(task -> "ADMIN".equals(task.get("owner_role"))));
		assertThat(tasks(taken.lead())).filteredOn(task -> "ADMIN".equals(task.get("owner_role")))
			.singleElement()
			.satisfies(task -> assertThat(task.get("title")).isEqualTo("Связаться: обращение без записи"));
		// The board shows it red; moving it on answers it and closes its tasks once it is
		// booked.
		this.mvc.perform(get("/leads").with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("data-lead=\"" + taken.lead() + "\"")));
		int version = version(taken.lead());
		this.mvc
			.perform(post("/leads/{id}/stage", taken.lead()).with(this.logins.as("owner"))
				.with(csrf())
				.accept(MediaType.APPLICATION_JSON)
				.param("stage", "BOOKED")
				.param("version", String.valueOf(version)))
			.andExpect(status().isNoContent());
		assertThat(tasks(taken.lead())).allMatch(task -> "DONE".equals(task.get("status")));
		assertThat(this.jdbc.sql("select contacted_by from lead where id = :id")
			.param("id", taken.lead())
			.query(String.class)
			.single()).isEqualTo("owner");
		// A stale version (the card was moved by someone else) is refused and says so.
		this.mvc
			.perform(post("/leads/{id}/stage", taken.lead()).with(this.logins.as("owner"))
				.with(csrf())
				.accept(MediaType.APPLICATION_JSON)
				.param("stage", "CAME")
				.param("version", String.valueOf(version)))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail").value(containsString("изменил кто-то другой")));
		assertThat(stage(taken.lead())).isEqualTo("BOOKED");
	}

	@Test
	void lostNeedsAReasonFromTheListAndLeadsStayInTheirBranches() throws Exception {
		long second = this.jdbc.sql("select id from branch order by id offset 1 limit 1").query(Long.class).single();
		String phone = phone();
		Leads.Taken taken = this.leads.take(new Leads.Inquiry(LeadChannel.FORM, "form:" + UUID.randomUUID(), second,
				"Другой филиал", phone, null, null, null, null, null, Leads.Utm.NONE, null, Instant.now(), null));
		// "admin" works in the first branch only.
		this.mvc.perform(get("/leads/{id}", taken.lead()).with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/leads").with(this.logins.as("admin")))
			.andExpect(content().string(not(containsString("data-lead=\"" + taken.lead() + "\""))));
		this.mvc.perform(get("/leads").with(this.logins.as("doctor"))).andExpect(status().isForbidden());
		this.mvc.perform(get("/leads/settings").with(this.logins.as("admin"))).andExpect(status().isForbidden());
		int version = version(taken.lead());
		this.mvc
			.perform(post("/leads/{id}/stage", taken.lead()).with(this.logins.as("owner"))
				.with(csrf())
				.accept(MediaType.APPLICATION_JSON)
				.param("stage", "LOST")
				.param("version", String.valueOf(version)))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail").value(containsString("выберите причину")));
		this.mvc
			.perform(post("/leads/{id}/lost", taken.lead()).with(this.logins.as("owner"))
				.with(csrf())
				.param("reason", "999999")
				.param("version", String.valueOf(version)))
			.andExpect(status().is3xxRedirection())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
				.attribute("flashErrorKey", "leads.refused.UNKNOWN_REASON"));
		long reason = this.jdbc.sql("select id from lost_reason where name = 'Дорого'").query(Long.class).single();
		this.mvc
			.perform(post("/leads/{id}/lost", taken.lead()).with(this.logins.as("owner"))
				.with(csrf())
				.param("reason", String.valueOf(reason))
				.param("comment", "Нашли дешевле")
				.param("version", String.valueOf(version)))
			.andExpect(status().is3xxRedirection());
		assertThat(
				this.jdbc.sql("select stage || ' ' || lost_reason_id || ' ' || lost_comment from lead where id = :id")
					.param("id", taken.lead())
					.query(String.class)
					.single())
			.isEqualTo("LOST " + reason + " Нашли дешевле");
		this.mvc.perform(get("/leads/{id}", taken.lead()).with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Дорого")))
			.andExpect(content().string(containsString("Нашли дешевле")));
		assertThat(this.jdbc.sql("select count(*) from audit_log where action = 'LEAD_VIEWED' and record_id = :id")
			.param("id", String.valueOf(taken.lead()))
			.query(Integer.class)
			.single()).isPositive();
	}

	@Test
	void theWebsiteFormTakesItsUtmTagsOnceAndRefusesBadInputSayingWhere() throws Exception {
		String phone = phone();
		String body = """
				{"name": "Ольга", "phone": "%s", "message": "Хочу на массаж спины",
				 "utm_source": "ВКонтакте", "utm_medium": "social", "utm_campaign": "massage-promo",
				 "page": "https://clinic.example/massage"}
				""".formatted("8 " + phone.substring(2));
		String key = UUID.randomUUID().toString();
		for (int i = 0; i < 2; i++) {
			this.mvc
				.perform(post("/api/public/v1/leads").contentType(MediaType.APPLICATION_JSON)
					.header("Idempotency-Key", key)
					.content(body))
				.andExpect(status().isCreated())
				.andExpect(jsonPath("$.status").value("received"));
		}
		Map<String, Object> lead = lead(phone);
		assertThat(lead).containsEntry("channel", "FORM")
			.containsEntry("utm_source", "ВКонтакте")
			.containsEntry("utm_campaign", "massage-promo")
			.containsEntry("touches", 1)
			.containsEntry("source_id",
					this.jdbc.sql("select id from patient_source where name = 'ВКонтакте'").query(Long.class).single());
		String bad = """
				{"name": "%s", "phone": "12", "email": "not-an-address"}
				""".formatted("я".repeat(300));
		this.mvc.perform(post("/api/public/v1/leads").contentType(MediaType.APPLICATION_JSON).content(bad))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors[?(@.field == 'phone')].message")
				.value(org.hamcrest.Matchers.hasItem(containsString("Телефон не распознан"))))
			.andExpect(jsonPath("$.errors[?(@.field == 'email')]").exists())
			.andExpect(jsonPath("$.errors[?(@.field == 'name')]").exists());
		this.mvc
			.perform(post("/api/public/v1/leads").contentType(MediaType.APPLICATION_JSON)
				.header("Accept-Language", "en")
				.content("{\"name\": \"Bob\"}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors[0].message").value(containsString("Give a phone or an email")));
		this.mvc
			.perform(post("/api/public/v1/leads").contentType(MediaType.APPLICATION_JSON).content("{\"phone\": [1,"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		// A bot filling the hidden field is told "received" and nothing is kept.
		String botPhone = phone();
		this.mvc
			.perform(post("/api/public/v1/leads").contentType(MediaType.APPLICATION_JSON)
				.content("{\"phone\": \"" + botPhone + "\", \"website\": \"http://spam.example\"}"))
			.andExpect(status().isCreated());
		assertThat(lead(botPhone)).isNull();
		// A plain HTML form: back to the site's own page when the site is allowed, else
		// our page.
		String formPhone = phone();
		this.mvc
			.perform(post("/api/public/v1/leads").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("name", "Пётр")
				.param("phone", formPhone)
				.param("utm_source", "yandex")
				.param("redirect", "https://clinic.example/spasibo"))
			.andExpect(status().is3xxRedirection())
			.andExpect(header().string("Location", "https://clinic.example/spasibo"));
		assertThat(lead(formPhone)).containsEntry("utm_source", "yandex");
		this.mvc
			.perform(post("/api/public/v1/leads").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("phone", phone())
				.param("redirect", "https://evil.example/"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Спасибо")));
		this.mvc
			.perform(post("/api/public/v1/leads").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("phone", "abc"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().string(containsString("Телефон не распознан")));
	}

	@Test
	void theMarketerMapsUtmTagsToSourcesAndFormsCarryThem() throws Exception {
		long source = this.jdbc.sql("select id from patient_source where name = 'Наружная реклама'")
			.query(Long.class)
			.single();
		String tag = "billboard-" + UUID.randomUUID().toString().substring(0, 6);
		this.mvc
			.perform(post("/leads/settings/utm").with(this.logins.as("manager"))
				.with(csrf())
				.param("tag", tag.toUpperCase())
				.param("source", String.valueOf(source)))
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
				.attribute("flashKey", "flash.saved"));
		this.mvc.perform(post("/leads/settings/utm").with(this.logins.as("manager")).with(csrf()).param("tag", " "))
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
				.attribute("flashErrorKey", "leads.refused.UTM_TAG"));
		this.mvc
			.perform(post("/leads/settings/utm").with(this.logins.as("admin"))
				.with(csrf())
				.param("tag", "x")
				.param("source", String.valueOf(source)))
			.andExpect(status().isForbidden());
		String phone = phone();
		this.mvc
			.perform(post("/api/public/v1/leads").contentType(MediaType.APPLICATION_JSON)
				.content("{\"phone\": \"" + phone + "\", \"utm_source\": \"" + tag + "\"}"))
			.andExpect(status().isCreated());
		assertThat(lead(phone)).containsEntry("source_id", source).containsEntry("utm_source", tag);
		this.mvc.perform(get("/leads/settings").with(this.logins.as("manager")))
			.andExpect(content().string(containsString(tag)));
	}

	@Test
	void concurrentInquiriesOfOnePersonMakeOneLeadAndTheSameInquiryOneTouch() throws Exception {
		String phone = phone();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<Leads.Taken>> work = new ArrayList<>();
			for (int i = 0; i < 24; i++) {
				// Twelve different inquiries, each sent twice at once.
				String origin = "flood:" + phone + ":" + (i / 2);
				work.add(() -> this.leads.take(inquiry(origin, phone, Instant.now())));
			}
			List<Long> ids = new ArrayList<>();
			for (Future<Leads.Taken> taken : pool.invokeAll(work)) {
				ids.add(taken.get().lead());
			}
			assertThat(ids).containsOnly(ids.get(0));
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(lead(phone)).containsEntry("touches", 12);
		assertThat(this.jdbc.sql("select count(*) from lead_touch t join lead l on l.id = t.lead_id where l.phone = :p")
			.param("p", phone)
			.query(Integer.class)
			.single()).isEqualTo(12);
	}

	@Test
	void aCardMadeFromALeadCarriesItsNumberAndAdSource() throws Exception {
		long source = this.jdbc.sql("select id from patient_source where name = 'Яндекс.Директ'")
			.query(Long.class)
			.single();
		String phone = phone();
		Leads.Taken taken = this.leads
			.take(new Leads.Inquiry(LeadChannel.CALL, "call-test:" + UUID.randomUUID(), null, "Ольга Смирнова", phone,
					null, null, null, source, "Директ: спина", Leads.Utm.NONE, null, Instant.now(), null));
		String page = this.mvc.perform(get("/leads/{id}", taken.lead()).with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String link = java.util.regex.Pattern.compile("href=\"(/patients/new[^\"]*)\"")
			.matcher(page)
			.results()
			.findFirst()
			.orElseThrow()
			.group(1)
			.replace("&amp;", "&");
		this.mvc.perform(get(java.net.URI.create(link)).with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("value=\"" + phone + "\"")))
			.andExpect(content()
				.string(org.hamcrest.Matchers.matchesPattern("(?s).*<option value=\"" + source + "\" selected.*")));
	}

	@Test
	void workingMinutesSkipNightsAndDaysOff() {
		ZoneId zone = ZoneId.of("Asia/Yekaterinburg");
		Map<DayOfWeek, LocalTime[]> hours = new EnumMap<>(DayOfWeek.class);
		for (DayOfWeek day : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
				DayOfWeek.FRIDAY)) {
			hours.put(day, new LocalTime[] { LocalTime.of(9, 0), LocalTime.of(20, 0) });
		}
		LocalDate friday = LocalDate.of(2026, 12, 4);
		// In hours: plain minutes.
		assertThat(LeadSla.due(at(friday, 10, 0, zone), 15, zone, hours)).isEqualTo(at(friday, 10, 15, zone));
		// Ten minutes before closing: five on Friday, ten after Monday's opening.
		assertThat(LeadSla.due(at(friday, 19, 50, zone), 15, zone, hours))
			.isEqualTo(at(friday.plusDays(3), 9, 5, zone));
		// At night: fifteen minutes after opening.
		assertThat(LeadSla.due(at(friday.minusDays(1), 23, 30, zone), 15, zone, hours))
			.isEqualTo(at(friday, 9, 15, zone));
		// A branch without hours works around the clock.
		assertThat(LeadSla.due(at(friday, 23, 30, zone), 15, zone, Map.of())).isEqualTo(at(friday, 23, 45, zone));
	}

	@Test
	void theSeniorAdminsReportCountsCallsCallbacksAndLeadsPerAdminAndSource() throws Exception {
		Instant now = Instant.now();
		ZoneId zone = ZoneId.of("Europe/Moscow");
		var admins = this.report.perAdmin(now.minus(Duration.ofDays(14)), now, zone, BranchScope.everything());
		assertThat(admins).anySatisfy(day -> {
			assertThat(day.who()).isEqualTo("admin");
			assertThat(day.answered()).isPositive();
			assertThat(day.callbacks()).isPositive();
			assertThat(day.medianCallbackSeconds()).isBetween(3 * 60.0, 41 * 60.0);
			assertThat(day.leadsHandled()).isPositive();
		});
		var sources = this.report.perSource(now.minus(Duration.ofDays(31)), now, BranchScope.everything());
		// Calls to the tracking numbers and forms tagged utm_source=vk (mapped to
		// ВКонтакте in the demo).
		assertThat(sources).extracting(LeadReport.Source::source).contains("Яндекс.Директ", "ВКонтакте");
		assertThat(sources).allSatisfy(source -> assertThat(source.booked()).isLessThanOrEqualTo(source.leads()));
		assertThat(sources.stream().mapToInt(LeadReport.Source::booked).sum()).isPositive();
		String adminName = this.jdbc.sql("select full_name from app_user where username = 'admin'")
			.query(String.class)
			.single();
		this.mvc.perform(get("/leads/report").with(this.logins.as("senior")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("report-admins")))
			// The admin by name, not by login.
			.andExpect(content().string(containsString("<td>" + adminName + "</td>")))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("<td>admin</td>"))))
			.andExpect(content().string(containsString("Яндекс.Директ")))
			// A lead without a source stands under its channel in words, never its code.
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("<td>CALL</td>"))))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("<td>FORM</td>"))))
			// Charts above the tables: calls per admin by name, leads per source.
			.andExpect(content().string(org.hamcrest.Matchers
				.matchesRegex("(?s).*id=\"chart-admins\"[^>]*data-labels=\"[^\"]*" + adminName + ".*")))
			.andExpect(content().string(containsString("id=\"chart-report-sources\"")));
		this.mvc.perform(get("/leads/report").with(this.logins.as("admin"))).andExpect(status().isForbidden());
	}

	@Test
	void theFakePbxPlaysACallThatRingsThenIsMissedAndBecomesACallback() {
		String phone = phone();
		String line = this.jdbc.sql("select number from phone_line where active order by number limit 1")
			.query(String.class)
			.single();
		long call = this.simulator.play(line, phone, CallSimulator.Ending.MISSED, Duration.ofMillis(300));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "MISSED".equals(this.jdbc.sql("select status from call where id = :id")
				.param("id", call)
				.query(String.class)
				.single()));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("select count(*) from task where cause_type = 'call' and cause_id = :id")
				.param("id", call)
				.query(Integer.class)
				.single() == 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> lead(phone) != null);
	}

	@Test
	void theDemoHasAMonthOfLeadsFromSeveralSourcesAndTodaysLateOnes() {
		assertThat(this.jdbc.sql("select count(*) from lead where created_at < now() - interval '1 day'")
			.query(Integer.class)
			.single()).isGreaterThan(150);
		assertThat(this.jdbc.sql("select count(distinct coalesce(source_id::text, utm_source, channel)) from lead")
			.query(Integer.class)
			.single()).isGreaterThanOrEqualTo(4);
		assertThat(this.queries.late(BranchScope.everything())).isGreaterThanOrEqualTo(2);
		var board = this.queries.board(BranchScope.everything(), LeadQueries.Filter.NONE);
		assertThat(board).extracting(LeadQueries.Column::stage).containsExactly(LeadStage.values());
		assertThat(board).filteredOn(column -> column.stage() == LeadStage.CAME)
			.singleElement()
			.satisfies(column -> assertThat(column.total()).isPositive());
	}

	private Leads.Inquiry inquiry(String origin, String phone, Instant at) {
		return new Leads.Inquiry(LeadChannel.FORM, origin, null, "Тест", phone, null, "Вопрос", null, null, null,
				Leads.Utm.NONE, null, at, null);
	}

	private static Instant at(LocalDate day, int hour, int minute, ZoneId zone) {
		return LocalDateTime.of(day, LocalTime.of(hour, minute)).atZone(zone).toInstant();
	}

	private static String phone() {
		return "+7916" + String.format("%07d", new Random().nextInt(9_999_999));
	}

	private Map<String, Object> lead(String phone) {
		return this.jdbc.sql("select * from lead where phone = :p order by id desc limit 1")
			.param("p", phone)
			.query()
			.listOfRows()
			.stream()
			.findFirst()
			.orElse(null);
	}

	private String stage(long lead) {
		return this.jdbc.sql("select stage from lead where id = :id").param("id", lead).query(String.class).single();
	}

	private int version(long lead) {
		return this.jdbc.sql("select version from lead where id = :id").param("id", lead).query(Integer.class).single();
	}

	private List<Map<String, Object>> tasks(long lead) {
		return this.jdbc.sql("select * from task where cause_type = 'lead' and cause_id = :id order by id")
			.param("id", lead)
			.query()
			.listOfRows();
	}

}
