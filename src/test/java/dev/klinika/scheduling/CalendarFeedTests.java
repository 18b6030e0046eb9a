package dev.klinika.scheduling;

import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A staff member's appointments as an iCalendar feed that calendar apps (and ical4j)
 * read.
 */
@KlinikaTest
class CalendarFeedTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	dev.klinika.scheduling.Availability availability;

	@Test
	void servesTheAppointmentsAtASecretAddressThatCanBeReplaced() throws Exception {
		var picked = DemoSchedule.weeklyStaff(this.jdbc, null, 0, true);
		long staff = picked.staff();
		long branch = picked.branch();
		long service = picked.service();
		LocalDate day = LocalDate.now().plusWeeks(5).with(DayOfWeek.TUESDAY);
		var start = this.availability.freeSlots(staff, branch, service, day, day).get(0);
		var patient = this.jdbc
			.sql("select id, surname, name from patient where merged_into is null order by id limit 1")
			.query()
			.singleRow();
		var appointment = this.booking
			.book(new Booking.Request(((Number) patient.get("id")).longValue(), service, staff, branch, start, null));

		String token = tokenOn(this.mvc.perform(get("/scheduling/calendars/{id}", staff).with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		String ics = this.mvc.perform(get("/calendar/{token}.ics", token))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Type", org.hamcrest.Matchers.startsWith("text/calendar")))
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		var calendar = new CalendarBuilder().build(new StringReader(ics));
		VEvent event = calendar.<VEvent>getComponents(Component.VEVENT)
			.stream()
			.filter(e -> e.getUid()
				.map(uid -> uid.getValue().equals("appointment-" + appointment.id() + "@klinika"))
				.orElse(false))
			.findFirst()
			.orElseThrow();
		String summary = event.getSummary().getValue();
		assertThat(summary).startsWith(patient.get("surname") + " " + ((String) patient.get("name")).charAt(0) + ".")
			.doesNotContain((String) patient.get("name"));

		// RFC 5545 §3.1: no line over 75 octets, however long the Cyrillic summary.
		assertThat(ics.split("\r\n"))
			.allSatisfy(line -> assertThat(line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
				.isLessThanOrEqualTo(75));
		String longLine = "SUMMARY:" + "Ж".repeat(60) + " — Массаж воротниковой зоны\r\n";
		String folded = CalendarFeeds.fold(longLine);
		assertThat(folded.split("\r\n")).hasSizeGreaterThan(1)
			.allSatisfy(line -> assertThat(line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
				.isLessThanOrEqualTo(75));
		assertThat(folded.replace("\r\n ", "")).isEqualTo(longLine);
		// A second fetch changes nothing: each event is stamped with its own last change.
		Thread.sleep(1100);
		String again = this.mvc.perform(get("/calendar/{token}.ics", token))
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(again).isEqualTo(ics);
		assertThat(event.getProperty("STATUS").orElseThrow().getValue()).isEqualTo("TENTATIVE");
		this.lifecycle.confirm(appointment.id());
		this.lifecycle.checkIn(appointment.id());
		String checkedIn = this.mvc.perform(get("/calendar/{token}.ics", token))
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		VEvent changed = new CalendarBuilder().build(new StringReader(checkedIn))
			.<VEvent>getComponents(Component.VEVENT)
			.stream()
			.filter(e -> e.getUid().orElseThrow().getValue().equals("appointment-" + appointment.id() + "@klinika"))
			.findFirst()
			.orElseThrow();
		assertThat(changed.getProperty("STATUS").orElseThrow().getValue()).isEqualTo("CONFIRMED");
		assertThat(changed.getProperty("DESCRIPTION").orElseThrow().getValue()).isEqualTo("Пришёл");
		assertThat(changed.getProperty("DTSTAMP").orElseThrow().getValue())
			.isNotEqualTo(event.getProperty("DTSTAMP").orElseThrow().getValue());
		assertThat(CalendarFeeds.status(AppointmentStatus.NO_SHOW)).isEqualTo("CANCELLED");
		assertThat(CalendarFeeds.status(AppointmentStatus.COMPLETED)).isEqualTo("CONFIRMED");

		this.mvc.perform(post("/scheduling/calendars/{id}", staff).with(csrf()).with(this.logins.as("owner")))
			.andExpect(status().is3xxRedirection());
		this.mvc.perform(get("/calendar/{token}.ics", token)).andExpect(status().isNotFound());
		this.mvc.perform(get("/calendar/{token}.ics", "not-a-token")).andExpect(status().isNotFound());
	}

	@Test
	void letsADoctorSeeOnlyTheirOwnAddress() throws Exception {
		long own = this.jdbc.sql("select staff_id from app_user where username = 'doctor'").query(Long.class).single();
		long other = this.jdbc.sql("select min(id) from staff where id <> :own")
			.param("own", own)
			.query(Long.class)
			.single();
		this.mvc.perform(get("/scheduling/calendars/{id}", own).with(this.logins.as("doctor")))
			.andExpect(status().isOk());
		this.mvc.perform(get("/scheduling/calendars/{id}", other).with(this.logins.as("doctor")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/scheduling/calendars/{id}", own).with(this.logins.as("admin")))
			.andExpect(status().isForbidden());
	}

	private static String tokenOn(String page) {
		Matcher matcher = Pattern.compile("/calendar/([A-Za-z0-9_-]+)\\.ics").matcher(page);
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

}
