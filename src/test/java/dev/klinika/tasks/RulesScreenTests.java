package dev.klinika.tasks;

import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.catalog.MedicalServices;
import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;

/**
 * A manager narrows a rule to some branches on the screen: causes elsewhere fire nothing;
 * impossible conditions are refused; an admin may not change rules.
 */
@KlinikaTest
class RulesScreenTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Automation automation;

	@Autowired
	RuleTriggers triggers;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.Availability availability;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	MedicalServices services;

	@Test
	void aRuleNarrowedToOtherBranchesFiresNothingHere() throws Exception {
		var clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		Automation.Rule rule = this.automation.rules(Automation.Trigger.APPOINTMENT_NO_SHOW).get(0);
		long elsewhere = this.jdbc.sql("select min(id) from branch where id <> :branch")
			.param("branch", clinic.branch())
			.query(Long.class)
			.single();
		this.mvc.perform(change(rule, rule.version()).param("branchIds", String.valueOf(elsewhere)))
			.andExpect(flash().attribute("flashKey", "flash.saved"));
		try {
			Appointment visit = visit(clinic, 0);
			this.triggers.fire(Automation.Trigger.APPOINTMENT_NO_SHOW, new Automation.Visit(visit,
					this.services.findById(clinic.plainService()).orElseThrow(), ZoneId.of("Europe/Moscow")));
			assertThat(tasksOf(visit.id())).isZero();
			this.mvc.perform(change(rule, rule.version() + 1).param("minAge", "50").param("maxAge", "10"))
				.andExpect(flash().attribute("flashErrorKey", "task.refused.CONDITIONS"));
			this.mvc
				.perform(change(rule, rule.version() + 1).param("branchIds", String.valueOf(elsewhere))
					.with(this.logins.as("admin")))
				.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isForbidden());
		}
		finally {
			this.mvc.perform(change(rule, rule.version() + 1)).andExpect(flash().attribute("flashKey", "flash.saved"));
		}
		Appointment other = visit(clinic, 1);
		this.triggers.fire(Automation.Trigger.APPOINTMENT_NO_SHOW, new Automation.Visit(other,
				this.services.findById(clinic.plainService()).orElseThrow(), ZoneId.of("Europe/Moscow")));
		assertThat(tasksOf(other.id())).isEqualTo(1);
	}

	private MockHttpServletRequestBuilder change(Automation.Rule rule, int version) {
		return post("/tasks/rules/" + rule.id()).with(this.logins.as("manager"))
			.with(csrf())
			.param("version", String.valueOf(version))
			.param("enabled", "true")
			.param("title", rule.action().title())
			.param("ownerRole", String.valueOf(rule.action().ownerRole()))
			.param("delayMinutes", String.valueOf(rule.action().delayMinutes()))
			.param("priority", String.valueOf(rule.action().priority()));
	}

	private Appointment visit(OwnClinicAccess.Ids clinic, int nth) {
		LocalDate from = LocalDate.now().plusDays(1);
		var start = this.availability
			.freeSlots(clinic.first(), clinic.branch(), clinic.plainService(), from, from.plusDays(7))
			.get(nth * 4);
		long patient = this.jdbc
			.sql("select min(id) + :nth from patient where merged_into is null and erased_at is null")
			.param("nth", nth)
			.query(Long.class)
			.single();
		return this.booking
			.book(new Booking.Request(patient, clinic.plainService(), clinic.first(), clinic.branch(), start, null));
	}

	private int tasksOf(long appointment) {
		return this.jdbc.sql("select count(*) from task where cause_type = 'appointment' and cause_id = :id")
			.param("id", appointment)
			.query(Integer.class)
			.single();
	}

}
