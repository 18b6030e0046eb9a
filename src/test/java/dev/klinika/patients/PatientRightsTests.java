package dev.klinika.patients;

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
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A patient's data on request as a file and a page, and erasure that keeps the card's
 * number.
 */
@KlinikaTest
class PatientRightsTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	PatientFixtures cards;

	@org.junit.jupiter.api.BeforeEach
	void fixtures() {
		this.cards = new PatientFixtures(this.mvc, this.logins, this.jdbc);
	}

	@Test
	void exportsEverythingAsAFileAndAPageAndAuditsIt() throws Exception {
		String phone = "+7" + PatientCardTests.uniqueMobile();
		long id = this.cards.create("Выгрузкина", "Римма", phone);
		this.mvc.perform(get("/patients/{id}/rights/export.json", id).with(this.logins.as("senior")))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Disposition", containsString("patient-" + id + ".json")))
			.andExpect(jsonPath("$.surname").value("Выгрузкина"))
			.andExpect(jsonPath("$.phones[0]").value(phone))
			.andExpect(jsonPath("$.history[0].kind").value("CREATED"));
		this.mvc.perform(get("/patients/{id}/rights", id).with(this.logins.as("senior")))
			.andExpect(content().string(containsString("Выгрузкина")));
		assertThat(this.jdbc.sql("select count(*) from audit_log where action = 'PATIENT_EXPORTED' and record_id = :id")
			.param("id", String.valueOf(id))
			.query(Long.class)
			.single()).isEqualTo(2);
		this.mvc.perform(get("/patients/{id}/rights/export.json", id).with(this.logins.as("admin")))
			.andExpect(status().isForbidden());
	}

	@Test
	void erasesPersonalDataOnRequestAndKeepsTheNumber() throws Exception {
		String phone = "+7" + PatientCardTests.uniqueMobile();
		long id = this.cards.create("Стиралкина", "Ефросинья", phone);
		this.mvc
			.perform(post("/patients/{id}/rights/erase", id).with(csrf())
				.with(this.logins.as("senior"))
				.param("request", "Заявление № 7 от 25.11.2026")
				.param("confirm", "нет"))
			.andExpect(status().is3xxRedirection());
		assertThat(surname(id)).isEqualTo("Стиралкина");
		this.mvc
			.perform(post("/patients/{id}/rights/erase", id).with(csrf())
				.with(this.logins.as("senior"))
				.param("request", "Заявление № 7 от 25.11.2026")
				.param("confirm", "удалить"))
			.andExpect(status().is3xxRedirection());
		assertThat(surname(id)).isEqualTo(PatientRights.ERASED_NAME);
		assertThat(this.jdbc.sql("select count(*) from patient_phone where number = :n")
			.param("n", phone)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc
			.sql("select count(*) from patient_timeline where patient_id = :id and summary like '%Стиралкина%'")
			.param("id", id)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("select details from audit_log where action = 'PATIENT_ERASED' and record_id = :id")
			.param("id", String.valueOf(id))
			.query(String.class)
			.single()).contains("Заявление № 7");
		this.mvc.perform(get("/patients").param("q", phone).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("пациентов нет")));
	}

	private String surname(long id) {
		return this.jdbc.sql("select surname from patient where id = :id").param("id", id).query(String.class).single();
	}

}
