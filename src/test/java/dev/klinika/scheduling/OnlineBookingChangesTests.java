package dev.klinika.scheduling;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.organization.ClinicProfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * What a patient may do online beyond booking: no time closer than the clinic's lead
 * time, moving and cancelling their own booking from its page, and the privacy policy the
 * consent links to.
 */
@KlinikaTest
class OnlineBookingChangesTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Logins logins;

	@Autowired
	ClinicProfile clinicProfile;

	OwnClinic clinic;

	@BeforeEach
	void ownClinic() {
		this.clinic = OwnClinic.create(this.jdbc, this.patterns);
	}

	@Test
	void timesCloserThanTheLeadTimeAreNeitherOfferedNorHeldNorBooked() throws Exception {
		// The second specialist works round the clock this week, so that times are
		// free right now.
		LocalDate monday = LocalDate.now(this.clinic.zone()).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
		this.patterns.set(this.clinic.second(), this.clinic.branch(), monday, 7,
				IntStream.range(0, 7)
					.mapToObj(day -> new WorkPatterns.Stretch(day, LocalTime.of(0, 0), LocalTime.of(23, 45)))
					.toList());
		LocalDate today = LocalDate.now(this.clinic.zone());
		String slots = this.mvc
			.perform(get("/api/public/v1/free-slots").param("branch", String.valueOf(this.clinic.branch()))
				.param("service", String.valueOf(this.clinic.plainService()))
				.param("staff", String.valueOf(this.clinic.second()))
				.param("from", today.toString())
				.param("to", today.plusDays(1).toString()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		Instant earliest = Instant.now().plus(Duration.ofHours(2));
		List<Instant> starts = JsonPath.<List<String>>read(slots, "$[*].start").stream().map(Instant::parse).toList();
		assertThat(starts).isNotEmpty().allMatch(start -> !start.isBefore(earliest.minusSeconds(5)));
		// The first time offered is the first one after the lead time, not hours later.
		assertThat(starts.get(0)).isBefore(earliest.plus(Duration.ofMinutes(90)));
		// A time half an hour from now, sent directly, is refused and books nothing.
		Instant soon = Instant.now().plus(Duration.ofMinutes(30));
		soon = soon.minusSeconds(soon.getEpochSecond() % 900).minusNanos(soon.getNano()).plusSeconds(900);
		this.mvc
			.perform(post("/api/public/v1/bookings").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", UUID.randomUUID().toString())
				.content(order(soon, this.clinic.second())))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.reason").value("TOO_SOON"))
			.andExpect(jsonPath("$.detail").value(containsString("слишком близко")));
		this.mvc
			.perform(post("/api/public/v1/holds").contentType(MediaType.APPLICATION_JSON)
				.content("{\"branch\":%d,\"service\":%d,\"staff\":%d,\"start\":\"%s\"}".formatted(this.clinic.branch(),
						this.clinic.plainService(), this.clinic.second(), soon)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.reason").value("TOO_SOON"));
		assertThat(this.jdbc.sql("select count(*) from appointment where staff_id = :staff")
			.param("staff", this.clinic.second())
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void aPatientMovesAndThenCancelsTheirBookingFromItsPage() throws Exception {
		this.jdbc.sql("update branch set phone = '+74951234567' where id = :id")
			.param("id", this.clinic.branch())
			.update();
		Instant start = this.clinic.at(7, DayOfWeek.WEDNESDAY, 10, 0);
		String code = bookOnline(start, this.clinic.first());
		long id = appointmentOf(code);
		this.mvc.perform(get("/book/visit/" + code))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Перенести")))
			.andExpect(content().string(containsString("Отменить запись")))
			.andExpect(content().string(containsString("+7 495 123-45-67")));
		String times = "/book/" + this.clinic.branch() + "/" + this.clinic.plainService();
		this.mvc.perform(get(times).param("move", code))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Выберите новое время")))
			.andExpect(content().string(containsString("name=\"move\" value=\"" + code + "\"")));
		// Another branch's page, or a made-up code, is no way into the booking.
		this.mvc.perform(get("/book/1/" + this.clinic.plainService()).param("move", code))
			.andExpect(status().isNotFound());
		this.mvc
			.perform(post(times + "/hold").with(csrf())
				.param("staff", String.valueOf(this.clinic.second()))
				.param("start", start.plusSeconds(3600).toString())
				.param("move", (code.charAt(0) == 'A' ? "B" : "A") + code.substring(1)))
			.andExpect(status().isNotFound());

		Instant later = start.plusSeconds(3600);
		this.mvc
			.perform(post(times + "/hold").with(csrf())
				.param("staff", String.valueOf(this.clinic.second()))
				.param("start", later.toString())
				.param("move", code))
			.andExpect(redirectedUrl("/book/visit/" + code + "?moved"));
		Map<String, Object> moved = row(id);
		assertThat(moved.get("staff_id")).isEqualTo(this.clinic.second());
		assertThat(moved.get("start")).isEqualTo(later);
		assertThat(moved.get("status")).isEqualTo("BOOKED");
		this.mvc.perform(get("/book/visit/" + code).param("moved", ""))
			.andExpect(content().string(containsString("Запись перенесена")));
		// Moving onto a time closer than the lead time is refused and changes nothing.
		this.mvc
			.perform(post(times + "/hold").with(csrf())
				.param("staff", String.valueOf(this.clinic.second()))
				.param("start", Instant.now().plusSeconds(1800).toString())
				.param("move", code))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("слишком близко")));
		assertThat(row(id)).isEqualTo(moved);

		this.mvc.perform(post("/book/visit/" + code + "/cancel").with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Запись отменена")));
		Map<String, Object> cancelled = row(id);
		assertThat(cancelled.get("status")).isEqualTo("CANCELLED");
		assertThat(cancelled.get("cancel_reason")).isEqualTo("PATIENT_ASKED");
		// Cancelled: the page and a second press are gone, the time is free again.
		this.mvc.perform(get("/book/visit/" + code)).andExpect(status().isNotFound());
		this.mvc.perform(post("/book/visit/" + code + "/cancel").with(csrf())).andExpect(status().isNotFound());
		this.mvc.perform(post("/book/visit/" + code + "/cancel")).andExpect(status().isForbidden());
		assertThat(row(id)).isEqualTo(cancelled);
		bookOnline(later, this.clinic.second());
	}

	@Test
	void theConsentLinksThePrivacyPolicyTheClinicWrites() throws Exception {
		this.mvc.perform(get("/privacy"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("152-ФЗ")))
			.andExpect(content().string(containsString("ООО «Клиника Движение»")));
		String token = JsonPath.read(this.mvc
			.perform(post("/api/public/v1/holds").contentType(MediaType.APPLICATION_JSON)
				.content("{\"branch\":%d,\"service\":%d,\"staff\":%d,\"start\":\"%s\"}".formatted(this.clinic.branch(),
						this.clinic.plainService(), this.clinic.first(), this.clinic.at(7, DayOfWeek.FRIDAY, 9, 0))))
			.andReturn()
			.getResponse()
			.getContentAsString(), "$.token");
		this.mvc
			.perform(get("/book/" + this.clinic.branch() + "/" + this.clinic.plainService() + "/details")
				.param("hold", token)
				.param("staff", String.valueOf(this.clinic.first()))
				.param("start", this.clinic.at(7, DayOfWeek.FRIDAY, 9, 0).toString()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("href=\"/privacy\"")));
		var current = this.clinicProfile.current();
		try {
			this.mvc
				.perform(post("/organization/clinic").with(csrf())
					.with(this.logins.as("owner"))
					.param("version", String.valueOf(current.getVersion()))
					.param("name", current.getName())
					.param("currency", "RUB")
					.param("privacyPolicy", "Наша политика.\n\nВторой абзац <script>alert(1)</script>"))
				.andExpect(redirectedUrl("/organization/clinic"));
			this.mvc.perform(get("/privacy"))
				.andExpect(content().string(containsString("<p>Наша политика.</p>")))
				.andExpect(content().string(containsString("&lt;script&gt;")))
				.andExpect(content().string(not(containsString("152-ФЗ"))));
			this.mvc
				.perform(post("/organization/clinic").with(csrf())
					.with(this.logins.as("owner"))
					.param("version", String.valueOf(this.clinicProfile.current().getVersion()))
					.param("name", current.getName())
					.param("currency", "RUB")
					.param("privacyPolicy", "x".repeat(50001)))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("privacyPolicy-error")));
		}
		finally {
			this.clinicProfile.update(null, current.getName(), current.getLegal(), current.getPhone(),
					current.getEmail(), current.getWebsite(), current.getCurrency(), null);
		}
	}

	private String bookOnline(Instant start, long staff) throws Exception {
		String booked = this.mvc
			.perform(post("/api/public/v1/bookings").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", UUID.randomUUID().toString())
				.content(order(start, staff)))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String calendar = JsonPath.read(booked, "$.calendar");
		return calendar.substring(calendar.lastIndexOf('/') + 1, calendar.length() - ".ics".length());
	}

	private long appointmentOf(String code) {
		return this.jdbc.sql("select id from appointment where public_code = :code")
			.param("code", code)
			.query(Long.class)
			.single();
	}

	private Map<String, Object> row(long id) {
		return this.jdbc.sql("""
				select id, branch_id, staff_id, room_id, patient_id, service_id, lower(during) as start,
				       upper(during) as finish, status, cancel_reason, public_code, source, version
				  from appointment where id = :id
				""").param("id", id).query((rs, n) -> {
			Map<String, Object> columns = new java.util.LinkedHashMap<>();
			for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
				Object value = rs.getObject(i);
				columns.put(rs.getMetaData().getColumnLabel(i),
						value instanceof java.sql.Timestamp time ? time.toInstant() : value);
			}
			return columns;
		}).single();
	}

	private String order(Instant start, long staff) {
		return """
				{"branch":%d,"service":%d,"staff":%d,"start":"%s","surname":"Тестова","name":"Мила",
				 "phone":"+7 916 %d","consent":true,"hold":null,"website":null}
				""".formatted(this.clinic.branch(), this.clinic.plainService(), staff, start,
				1000000 + new java.util.Random().nextInt(8999999));
	}

}
