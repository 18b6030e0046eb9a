package dev.klinika.patients;

import org.junit.jupiter.api.BeforeEach;
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

/**
 * A child linked to a parent: both cards show it, and the parent gets the child's
 * reminders.
 */
@KlinikaTest
class PatientFamilyTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Family family;

	PatientFixtures cards;

	@BeforeEach
	void fixtures() {
		this.cards = new PatientFixtures(this.mvc, this.logins, this.jdbc);
	}

	@Test
	void linksAParentByPhoneAndShowsTheLinkOnBothCards() throws Exception {
		String motherPhone = "+7" + PatientCardTests.uniqueMobile();
		long mother = this.cards.create("Семейная", "Ирина", motherPhone);
		long child = this.cards.create("Семейный", "Петя", "+7" + PatientCardTests.uniqueMobile());
		this.mvc
			.perform(post("/patients/{id}/relatives", child).with(csrf())
				.with(this.logins.as("admin"))
				.param("relative", "8" + motherPhone.substring(2))
				.param("relation", "MOTHER")
				.param("representative", "true"))
			.andExpect(flash().attribute("flashKey", "flash.relative.linked"));
		assertThat(this.family.representativesOf(child)).containsExactly(mother);
		this.mvc.perform(get("/patients/{id}", child).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("мать:")))
			.andExpect(content().string(containsString("Семейная Ирина")))
			.andExpect(content().string(containsString("получает напоминания")));
		this.mvc.perform(get("/patients/{id}", mother).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("ребёнок:")))
			.andExpect(content().string(containsString("Семейный Петя")));
		this.mvc
			.perform(post("/patients/{id}/relatives/{r}/remove", mother, child).with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(flash().attribute("flashKey", "flash.relative.unlinked"));
		assertThat(this.family.representativesOf(child)).isEmpty();
	}

	@Test
	void refusesAnUnknownOrAmbiguousRelative() throws Exception {
		String shared = "+7" + PatientCardTests.uniqueMobile();
		long child = this.cards.create("Одинокий", "Ваня", "+7" + PatientCardTests.uniqueMobile());
		this.cards.create("Двойнова", "Вера", shared);
		this.cards.create("Двойнова", "Надя", shared);
		for (String typed : new String[] { shared, "9999999999", "", String.valueOf(child), "абв" }) {
			this.mvc
				.perform(post("/patients/{id}/relatives", child).with(csrf())
					.with(this.logins.as("admin"))
					.param("relative", typed)
					.param("relation", "MOTHER"))
				.andExpect(flash().attribute("flashErrorKey", "flash.relative.notFound"));
		}
		assertThat(this.family.of(child)).isEmpty();
	}

}
