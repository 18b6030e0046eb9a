package dev.klinika.scheduling;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The reception's booking forms as a manager submits them: a visit, a course, a
 * cancellation with and without a reason, the waiting list; bad input refused with what
 * is missing.
 */
@KlinikaTest
class BookingScreensTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Logins logins;

	@Test
	void aVisitIsBookedFromTheFormAndCancelledOnlyWithAReason() throws Exception {
		OwnClinic clinic = OwnClinic.create(this.jdbc, this.patterns);
		Instant start = clinic.at(6, DayOfWeek.TUESDAY, 11, 0);
		var book = post("/scheduling/book").with(this.logins.as("manager"))
			.with(csrf())
			.param("branch", String.valueOf(clinic.branch()))
			.param("staff", String.valueOf(clinic.first()))
			.param("start", start.toString());
		this.mvc.perform(book.param("service", String.valueOf(clinic.plainService())))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Выберите пациента")));
		this.mvc.perform(book.param("patient", String.valueOf(clinic.patients().get(0))))
			.andExpect(redirectedUrlPattern("/scheduling/day?branch=*&date=*"))
			.andExpect(flash().attribute("flashKey", "flash.booked"));
		long id = this.jdbc.sql("select id from appointment where staff_id = :staff")
			.param("staff", clinic.first())
			.query(Long.class)
			.single();
		// The same time again: "just taken", with the nearest free times to click.
		this.mvc
			.perform(post("/scheduling/book").with(this.logins.as("manager"))
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("staff", String.valueOf(clinic.first()))
				.param("start", start.toString())
				.param("service", String.valueOf(clinic.plainService()))
				.param("patient", String.valueOf(clinic.patients().get(1))))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("только что заняли")))
			.andExpect(content().string(containsString("11:30")));
		// The visit is among the card's visits, with its state, linked to its page.
		this.mvc.perform(get("/patients/" + clinic.patients().get(0)).with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Записан")))
			.andExpect(content().string(containsString("/scheduling/appointments/" + id)));
		this.mvc.perform(get("/scheduling/appointments/" + id).with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Подтвердил")));
		assertThat(
				this.jdbc.sql("select count(*) from audit_log where action = 'APPOINTMENT_VIEWED' and record_id = :id")
					.param("id", String.valueOf(id))
					.query(Integer.class)
					.single())
			.isPositive();
		this.mvc
			.perform(post("/scheduling/appointments/" + id + "/cancel").with(this.logins.as("manager"))
				.with(csrf())
				.param("reason", ""))
			.andExpect(flash().attribute("flashErrorKey", "booking.refused.CANCEL_REASON"));
		this.mvc
			.perform(post("/scheduling/appointments/" + id + "/cancel").with(this.logins.as("manager"))
				.with(csrf())
				.param("reason", "PATIENT_ILL"))
			.andExpect(flash().attribute("flashKey", "flash.saved"));
		assertThat(this.jdbc.sql("select status || ' ' || cancel_reason from appointment where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).isEqualTo("CANCELLED PATIENT_ILL");
		// A doctor sees the visit but cannot change it.
		this.mvc
			.perform(post("/scheduling/appointments/" + id + "/status").with(this.logins.as("doctor"))
				.with(csrf())
				.param("to", "CONFIRMED"))
			.andExpect(status().isForbidden());
	}

	@Test
	void aCourseIsCheckedThenBookedFromTheForm() throws Exception {
		OwnClinic clinic = OwnClinic.create(this.jdbc, this.patterns);
		LocalDate monday = LocalDate.ofInstant(clinic.at(7, DayOfWeek.MONDAY, 9, 0), clinic.zone());
		this.mvc.perform(course(clinic, monday, "plan"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("course-plan")))
			.andExpect(content().string(containsString("свободно")));
		assertThat(count(clinic.second())).isZero();
		this.mvc.perform(course(clinic, monday, "book"))
			.andExpect(redirectedUrlPattern("/scheduling/appointments/*"))
			.andExpect(flash().attribute("flashKey", "flash.course.booked"));
		assertThat(count(clinic.second())).isEqualTo(4);
		assertThat(this.jdbc.sql("select count(distinct series_id) from appointment where staff_id = :staff")
			.param("staff", clinic.second())
			.query(Integer.class)
			.single()).isEqualTo(1);
		// No weekday: refused with the rule, nothing booked.
		this.mvc
			.perform(post("/scheduling/course").with(this.logins.as("manager"))
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("patient", String.valueOf(clinic.patients().get(3)))
				.param("service", String.valueOf(clinic.plainService()))
				.param("firstDay", monday.toString())
				.param("time", "12:00")
				.param("sessions", "4")
				.param("action", "book"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("хотя бы один день недели")));
		assertThat(count(clinic.first())).isZero();
	}

	@Test
	void theWaitingListTakesAPatientAndShowsThem() throws Exception {
		OwnClinic clinic = OwnClinic.create(this.jdbc, this.patterns);
		LocalDate today = LocalDate.now(clinic.zone());
		this.mvc
			.perform(post("/scheduling/waiting").with(this.logins.as("manager"))
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("patient", String.valueOf(clinic.patients().get(4)))
				.param("service", String.valueOf(clinic.plainService()))
				.param("from", today.toString())
				.param("to", today.plusDays(10).toString())
				.param("note", "после 17:00"))
			.andExpect(flash().attribute("flashKey", "flash.waiting.added"));
		this.mvc
			.perform(post("/scheduling/waiting").with(this.logins.as("manager"))
				.with(csrf())
				.param("branch", String.valueOf(clinic.branch()))
				.param("patient", String.valueOf(clinic.patients().get(4)))
				.param("service", String.valueOf(clinic.plainService()))
				.param("from", today.toString())
				.param("to", today.plusYears(1).toString()))
			.andExpect(flash().attribute("flashErrorKey", "booking.refused.WAITING_RANGE"));
		this.mvc
			.perform(get("/scheduling/waiting").param("branch", String.valueOf(clinic.branch()))
				.with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("после 17:00")));
	}

	/**
	 * The course form as a manager submits it: Mondays and Thursdays at 12:00, four
	 * sessions.
	 */
	private org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder course(OwnClinic clinic,
			LocalDate monday, String action) {
		return post("/scheduling/course").with(this.logins.as("manager"))
			.with(csrf())
			.param("branch", String.valueOf(clinic.branch()))
			.param("patient", String.valueOf(clinic.patients().get(2)))
			.param("service", String.valueOf(clinic.plainService()))
			.param("staff", String.valueOf(clinic.second()))
			.param("firstDay", monday.toString())
			.param("time", "12:00")
			.param("days", "MONDAY", "THURSDAY")
			.param("sessions", "4")
			.param("action", action);
	}

	private int count(long staff) {
		return this.jdbc.sql("select count(*) from appointment where staff_id = :staff and status <> 'CANCELLED'")
			.param("staff", staff)
			.query(Integer.class)
			.single();
	}

}
