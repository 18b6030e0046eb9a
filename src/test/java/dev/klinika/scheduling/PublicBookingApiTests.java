package dev.klinika.scheduling;

import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import dev.klinika.KlinikaTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The website booking API as a clinic's site calls it: no login, no cookies, problem
 * details in the caller's language, one booking per Idempotency-Key.
 */
@KlinikaTest
class PublicBookingApiTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	javax.sql.DataSource dataSource;

	OwnClinic clinic;

	@BeforeEach
	void ownClinic() {
		this.clinic = OwnClinic.create(this.jdbc, this.patterns);
	}

	@Test
	void listsServicesStaffAndFreeTimesOfABranch() throws Exception {
		this.mvc.perform(get("/api/public/v1/services").param("branch", String.valueOf(this.clinic.branch())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[?(@.id == " + this.clinic.plainService() + ")].minutes").value(30))
			.andExpect(jsonPath("$[?(@.id == " + this.clinic.groupService() + ")].group").value(true));
		this.mvc
			.perform(get("/api/public/v1/staff").param("branch", String.valueOf(this.clinic.branch()))
				.param("service", String.valueOf(this.clinic.plainService())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(2));
		LocalDate day = LocalDate.ofInstant(this.clinic.at(6, DayOfWeek.MONDAY, 9, 0), this.clinic.zone());
		String slots = this.mvc
			.perform(get("/api/public/v1/free-slots").param("branch", String.valueOf(this.clinic.branch()))
				.param("service", String.valueOf(this.clinic.plainService()))
				.param("from", day.toString())
				.param("to", day.toString()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		// Two specialists, 9:00-18:00, every quarter hour for a 30-minute visit: 35
		// starts each.
		assertThat(JsonPath.<Integer>read(slots, "$.length()")).isEqualTo(70);
		this.mvc
			.perform(get("/api/public/v1/free-slots").param("branch", String.valueOf(this.clinic.branch()))
				.param("service", String.valueOf(this.clinic.plainService()))
				.param("from", day.toString())
				.param("to", day.plusDays(30).toString())
				.header("Accept-Language", "en"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.reason").value("RANGE_PUBLIC"))
			.andExpect(jsonPath("$.detail").value("Choose a period of at most 14 days."));
		this.mvc.perform(get("/api/public/v1/services").param("branch", "999999"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.reason").value("UNKNOWN"));
	}

	@Test
	void aRetriedBookingWithTheSameKeyBooksOnceAndRegistersThePatientWithConsent() throws Exception {
		Instant start = this.clinic.at(6, DayOfWeek.TUESDAY, 10, 0);
		String phone = randomPhone();
		String body = booking(start, this.clinic.first(), phone, "Алиса", true, null);
		String key = UUID.randomUUID().toString();
		String first = this.mvc.perform(api(post("/api/public/v1/bookings"), key, body))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String again = this.mvc.perform(api(post("/api/public/v1/bookings"), key, body))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(again).isEqualTo(first);
		assertThat(appointmentsOf(this.clinic.first())).isEqualTo(1);
		var patient = this.jdbc
			.sql("""
					select p.id, p.name, c.kind, c.channel, a.source from appointment a join patient p on p.id = a.patient_id
					  join patient_consent c on c.patient_id = p.id where a.id = :id
					""")
			.param("id", ((Number) JsonPath.read(first, "$.id")).longValue())
			.query()
			.singleRow();
		assertThat(patient.get("name")).isEqualTo("Алиса");
		assertThat(patient.get("kind")).isEqualTo("PERSONAL_DATA");
		assertThat(patient.get("channel")).isEqualTo("ONLINE_FORM");
		assertThat(patient.get("source")).isEqualTo("WEBSITE");
		// The same key for another request is refused; the same person another time is
		// the same card.
		this.mvc
			.perform(api(post("/api/public/v1/bookings"), key,
					booking(start.plusSeconds(3600), this.clinic.first(), phone, "Алиса", true, null)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.reason").value("IDEMPOTENCY_REUSED"));
		String later = this.mvc
			.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
					booking(start.plusSeconds(7200), this.clinic.first(), phone, "алиса", true, null)))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long laterPatient = this.jdbc.sql("select patient_id from appointment where id = :id")
			.param("id", ((Number) JsonPath.read(later, "$.id")).longValue())
			.query(Long.class)
			.single();
		assertThat(laterPatient).isEqualTo(((Number) patient.get("id")).longValue());
		// The calendar link is the patient's file: one event, at that time, with the
		// address.
		String ics = this.mvc.perform(get(JsonPath.<String>read(first, "$.calendar")))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Type", org.hamcrest.Matchers.startsWith("text/calendar")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		VEvent event = new CalendarBuilder().build(new StringReader(ics))
			.getComponent("VEVENT")
			.map(VEvent.class::cast)
			.orElseThrow();
		assertThat(event.getDateTimeStart().getDate()).asString().contains("T");
		assertThat(event.getLocation().getValue()).contains("Тестовая, 1");
	}

	@Test
	void badInputIsRefusedWithWhatAndWhereAndBooksNothing() throws Exception {
		Instant start = this.clinic.at(6, DayOfWeek.WEDNESDAY, 11, 0);
		this.mvc
			.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
					booking(start, this.clinic.first(), "12", " ", false, null))
				.header("Accept-Language", "en"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors.name").value("Enter your first name."))
			.andExpect(jsonPath("$.errors.phone").value(org.hamcrest.Matchers.containsString("phone number")))
			.andExpect(jsonPath("$.errors.consent").exists());
		this.mvc
			.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
					booking(start, this.clinic.first(), randomPhone(), "Бот", true, "http://spam.example")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.reason").value("SPAM"));
		// Fields left out or null are refused by name, never a 500.
		String noName = booking(start, this.clinic.first(), randomPhone(), "Вера", true, null)
			.replace("\"name\":\"Вера\"", "\"name\":null")
			.replace("\"" + start + "\"", "null");
		this.mvc.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(), noName))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors.name").exists())
			.andExpect(jsonPath("$.errors.start").value("Выберите время записи."));
		this.mvc.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(), "{\"branch\": oops"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.reason").value("MALFORMED"));
		this.mvc
			.perform(post("/api/public/v1/bookings").contentType(MediaType.APPLICATION_JSON)
				.content(booking(start, this.clinic.first(), randomPhone(), "Вера", true, null)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.reason").value("IDEMPOTENCY_KEY"));
		// A time given without its offset is not a time: refused, not guessed.
		this.mvc
			.perform(
					api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
							booking(start, this.clinic.first(), randomPhone(), "Вера", true, null)
								.replace(start.toString(), "2030-01-01T10:00:00")))
			.andExpect(status().isBadRequest());
		// A Moscow branch's 11:00 sent with Yekaterinburg's offset is a client's mistake,
		// not 09:00.
		this.mvc
			.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
					booking(start, this.clinic.first(), randomPhone(), "Вера", true, null).replace(start.toString(),
							start.atZone(java.time.ZoneId.of("Asia/Yekaterinburg")).toOffsetDateTime().toString())))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.reason").value("ZONE_MISMATCH"));
		String moscowOffset = start.atZone(this.clinic.zone()).toOffsetDateTime().toString();
		assertThat(moscowOffset).endsWith("+03:00");
		// Outside the shift: the booking rule's reason.
		this.mvc
			.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
					booking(this.clinic.at(6, DayOfWeek.SUNDAY, 11, 0), this.clinic.first(), randomPhone(), "Вера",
							true, null)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.reason").value("OUTSIDE_SHIFT"));
		assertThat(appointmentsOf(this.clinic.first())).isZero();
	}

	@Test
	void aHeldTimeIsTheHoldersAlone() throws Exception {
		Instant start = this.clinic.at(7, DayOfWeek.MONDAY, 12, 0);
		String hold = "{\"branch\":%d,\"service\":%d,\"staff\":%d,\"start\":\"%s\"}".formatted(this.clinic.branch(),
				this.clinic.plainService(), this.clinic.first(), start);
		String token = JsonPath
			.read(this.mvc.perform(post("/api/public/v1/holds").contentType(MediaType.APPLICATION_JSON).content(hold))
				.andExpect(status().isCreated())
				.andReturn()
				.getResponse()
				.getContentAsString(), "$.token");
		this.mvc.perform(post("/api/public/v1/holds").contentType(MediaType.APPLICATION_JSON).content(hold))
			.andExpect(status().isConflict());
		String oleg = randomPhone();
		for (int attempt = 0; attempt < 2; attempt++) {
			this.mvc
				.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
						booking(start, this.clinic.first(), oleg, "Олег", true, null)))
				.andExpect(status().isConflict())
				.andExpect(jsonPath("$.reason").value("TAKEN"));
		}
		// Refused: nothing of him is kept, neither a card nor the consent he ticked.
		assertThat(this.jdbc.sql("""
				select count(*) from patient_phone ph where ph.number = :phone
				""")
			.param("phone", dev.klinika.shared.PhoneNumber.parse(oleg).orElseThrow().e164())
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.jdbc
			.sql("select count(*) from patient where name = 'Олег' and created_at > now() - interval '1 minute'")
			.query(Integer.class)
			.single()).isZero();
		this.mvc
			.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
					booking(start, this.clinic.first(), randomPhone(), "Ирина", true, token).replace(start.toString(),
							start.atZone(this.clinic.zone()).toOffsetDateTime().toString())))
			.andExpect(status().isCreated());
		assertThat(appointmentsOf(this.clinic.first())).isEqualTo(1);
	}

	@Test
	void onlyConfiguredOriginsMayCallFromABrowserAndTheApiIsDescribed() throws Exception {
		this.mvc
			.perform(options("/api/public/v1/bookings").header("Origin", "https://clinic.example")
				.header("Access-Control-Request-Method", "POST")
				.header("Access-Control-Request-Headers", "Content-Type, Idempotency-Key"))
			.andExpect(status().isOk())
			.andExpect(header().string("Access-Control-Allow-Origin", "https://clinic.example"));
		this.mvc
			.perform(options("/api/public/v1/bookings").header("Origin", "https://evil.example")
				.header("Access-Control-Request-Method", "POST"))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/v3/api-docs"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/public/v1/bookings'].post.parameters[0].name").value("Idempotency-Key"))
			.andExpect(jsonPath("$.paths['/api/public/v1/free-slots']").exists())
			.andExpect(jsonPath("$.paths['/scheduling/api/appointments']").doesNotExist());
	}

	@Test
	void anAddressThatFloodsTheBookingIsToldToWait() throws Exception {
		String address = "10.9.9." + (1 + new java.util.Random().nextInt(200));
		int refused = 0;
		for (int i = 0; i < 101; i++) {
			int status = this.mvc.perform(
					post("/api/public/v1/holds").contentType(MediaType.APPLICATION_JSON).content("{}").with(request -> {
						request.setRemoteAddr(address);
						return request;
					}))
				.andReturn()
				.getResponse()
				.getStatus();
			refused += status == 429 ? 1 : 0;
		}
		assertThat(refused).isEqualTo(1);
		this.mvc.perform(
				post("/api/public/v1/holds").contentType(MediaType.APPLICATION_JSON).content("{}").with(request -> {
					request.setRemoteAddr(address);
					return request;
				}))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"));
		// Another address is not affected.
		this.mvc.perform(get("/api/public/v1/branches").with(request -> {
			request.setRemoteAddr(address + "1");
			return request;
		})).andExpect(status().isOk());
	}

	@Test
	void aTimeTakenByAnotherVisitIsAnsweredWithTheNearestFreeTimes() throws Exception {
		Instant start = this.clinic.at(7, DayOfWeek.TUESDAY, 10, 0);
		this.mvc
			.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
					booking(start, this.clinic.first(), randomPhone(), "Нина", true, null)))
			.andExpect(status().isCreated());
		String refused = this.mvc
			.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(),
					booking(start, this.clinic.first(), randomPhone(), "Зоя", true, null)))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.reason").value("TAKEN"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		// Inside the site's idempotent transaction the refused insert spoils nothing: the
		// nearest free times of the same specialist come with the refusal.
		java.util.List<Instant> alternatives = JsonPath.<java.util.List<String>>read(refused, "$.alternatives")
			.stream()
			.map(Instant::parse)
			.toList();
		assertThat(alternatives).hasSize(5)
			.doesNotContain(start)
			.contains(start.plusSeconds(30 * 60), start.minusSeconds(30 * 60));
		assertThat(appointmentsOf(this.clinic.first())).isEqualTo(1);
	}

	@Test
	void aRoomTakenWhileTheSiteBooksIsReplacedByAnotherFreeRoomOfTheKind() throws Exception {
		long spare = this.jdbc
			.sql("insert into room (branch_id, name, kind) values (:branch, 'Аппарат 2', 'DEVICE') returning id")
			.param("branch", this.clinic.branch())
			.query(Long.class)
			.single();
		Instant start = this.clinic.at(7, DayOfWeek.THURSDAY, 12, 0);
		long patient = this.clinic.patients().get(0);
		// A colleague's booking of the first room is written but not yet committed when
		// the
		// site's booking of the same time arrives.
		try (java.sql.Connection colleague = this.dataSource.getConnection()) {
			colleague.setAutoCommit(false);
			try (var insert = colleague.prepareStatement("""
					insert into appointment (branch_id, staff_id, room_id, patient_id, service_id, during, status,
					  created_by, source)
					values (?, ?, ?, ?, ?, tstzrange(?, ?, '[)'), 'BOOKED', 'colleague', 'STAFF')
					""")) {
				insert.setLong(1, this.clinic.branch());
				insert.setLong(2, this.clinic.second());
				insert.setLong(3, this.clinic.room());
				insert.setLong(4, patient);
				insert.setLong(5, this.clinic.roomService());
				insert.setObject(6, java.time.OffsetDateTime.ofInstant(start, this.clinic.zone()));
				insert.setObject(7, java.time.OffsetDateTime.ofInstant(start.plusSeconds(1800), this.clinic.zone()));
				insert.executeUpdate();
			}
			var committed = java.util.concurrent.CompletableFuture.runAsync(() -> {
				try {
					// Commit once the site's insert waits for this row's lock.
					for (int i = 0; i < 200 && waitingForLocks() == 0; i++) {
						Thread.sleep(25);
					}
					colleague.commit();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			String body = booking(start, this.clinic.first(), randomPhone(), "Рая", true, null)
				.replace("\"service\":" + this.clinic.plainService(), "\"service\":" + this.clinic.roomService());
			String booked = this.mvc.perform(api(post("/api/public/v1/bookings"), UUID.randomUUID().toString(), body))
				.andExpect(status().isCreated())
				.andReturn()
				.getResponse()
				.getContentAsString();
			committed.get(10, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(this.jdbc.sql("select room_id from appointment where id = :id")
				.param("id", ((Number) JsonPath.read(booked, "$.id")).longValue())
				.query(Long.class)
				.single()).isEqualTo(spare);
		}
	}

	private int waitingForLocks() {
		return this.jdbc.sql("""
				select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()
				""").query(Integer.class).single();
	}

	private MockHttpServletRequestBuilder api(MockHttpServletRequestBuilder request, String key, String body) {
		return request.contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key).content(body);
	}

	private String booking(Instant start, long staff, String phone, String name, boolean consent, String holdOrSpam) {
		boolean spam = holdOrSpam != null && holdOrSpam.startsWith("http");
		return """
				{"branch":%d,"service":%d,"staff":%d,"start":"%s","surname":"Тестова","name":"%s","phone":"%s",
				 "consent":%s,"hold":%s,"website":%s}
				""".formatted(this.clinic.branch(), this.clinic.plainService(), staff, start, name, phone, consent,
				holdOrSpam == null || spam ? "null" : "\"" + holdOrSpam + "\"",
				spam ? "\"" + holdOrSpam + "\"" : "null");
	}

	private static String randomPhone() {
		return "+7 916 " + (1000000 + new java.util.Random().nextInt(8999999));
	}

	private int appointmentsOf(long staff) {
		return this.jdbc.sql("select count(*) from appointment where staff_id = :staff and status <> 'CANCELLED'")
			.param("staff", staff)
			.query(Integer.class)
			.single();
	}

}
