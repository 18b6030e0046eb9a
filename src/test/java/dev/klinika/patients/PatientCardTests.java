package dev.klinika.patients;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The card: created, warned about duplicates, changed field by field, consents, scope,
 * audit.
 */
@KlinikaTest
class PatientCardTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Consents consents;

	@Test
	void createsACardWithPhonesInAnyFormatAsOneE164Number() throws Exception {
		String digits = uniqueMobile();
		long id = create("Зюзюкина", "Алевтина", "8 (" + digits.substring(0, 3) + ") " + digits.substring(3, 6) + "-"
				+ digits.substring(6, 8) + "-" + digits.substring(8));
		assertThat(phones(id)).containsExactly("+7" + digits);
		assertThat(count("select count(*) from patient_timeline where patient_id = :id and kind = 'CREATED'", id))
			.isEqualTo(1);
		assertThat(
				count("select count(*) from audit_log where action = 'PATIENT_CREATED' and record_id = :id::text", id))
			.isEqualTo(1);
	}

	@Test
	void warnsAboutTheSamePhoneAndSavesOnlyWhenConfirmed() throws Exception {
		String digits = uniqueMobile();
		create("Первова", "Анна", "+7" + digits);
		this.mvc.perform(newPatient("Второва", "Инна", "8" + digits))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Возможно, этот пациент уже есть в базе")))
			.andExpect(content().string(containsString("Первова Анна")))
			.andExpect(content().string(containsString("тот же телефон")));
		assertThat(this.jdbc.sql("select count(*) from patient_phone where number = :n")
			.param("n", "+7" + digits)
			.query(Long.class)
			.single()).isEqualTo(1);
		this.mvc.perform(newPatient("Второва", "Инна", "8" + digits).param("confirmDuplicate", "true"))
			.andExpect(status().is3xxRedirection());
		assertThat(this.jdbc.sql("select count(*) from patient_phone where number = :n")
			.param("n", "+7" + digits)
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	@Test
	void warnsAboutASimilarNameWithTheSameBirthDate() throws Exception {
		create("Кукушкина", "Евдокия", uniqueMobile(), "1975-03-14");
		this.mvc.perform(newPatient("Кукушкна", "Евдокия", uniqueMobile()).param("birthDate", "1975-03-14"))
			.andExpect(content().string(containsString("похожее ФИО и та же дата рождения")));
		this.mvc.perform(newPatient("Кукушкна", "Евдокия", uniqueMobile()).param("birthDate", "1975-03-15"))
			.andExpect(status().is3xxRedirection());
	}

	@Test
	void refusesBadFieldsAndSavesNothing() throws Exception {
		String surname = "Ошибкина" + ThreadLocalRandom.current().nextInt(1000);
		this.mvc
			.perform(post("/patients").with(csrf())
				.with(this.logins.as("admin"))
				.param("surname", surname)
				.param("name", "")
				.param("phone1", "позвонить вечером")
				.param("birthDate", LocalDate.now().plusDays(1).toString())
				.param("email", "not-an-email")
				.param("timeZone", "Moon/Base")
				.param("homeBranchId", String.valueOf(adminsBranch())))
			.andExpect(model().attributeHasFieldErrors("form", "name", "phone1", "birthDate", "email", "timeZone"))
			.andExpect(content().string(containsString("Не похоже на номер телефона")));
		assertThat(this.jdbc.sql("select count(*) from patient where surname = :s")
			.param("s", surname)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void recordsWhatAnEditChangedOnTheTimeline() throws Exception {
		String digits = uniqueMobile();
		long id = create("Менялова", "Ольга", "+7" + digits);
		int version = this.jdbc.sql("select version from patient where id = :id")
			.param("id", id)
			.query(Integer.class)
			.single();
		this.mvc
			.perform(post("/patients/{id}", id).with(csrf())
				.with(this.logins.as("admin"))
				.param("surname", "Менялова")
				.param("name", "Ольга")
				.param("phone1", "+7" + digits)
				.param("email", "olga@example.com")
				.param("tags", "VIP, спина")
				.param("homeBranchId", String.valueOf(adminsBranch()))
				.param("version", String.valueOf(version)))
			.andExpect(status().is3xxRedirection());
		this.mvc.perform(get("/patients/{id}", id).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("Карточка изменена")))
			.andExpect(content().string(containsString("olga@example.com")))
			.andExpect(content().string(containsString("[vip, спина]")))
			// Who changed it, by name, not by login.
			.andExpect(content()
				.string(containsString("· " + this.jdbc.sql("select full_name from app_user where username = 'admin'")
					.query(String.class)
					.single())))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("· admin<"))));
		assertThat(
				count("select count(*) from audit_log where action = 'PATIENT_VIEWED' and record_id = :id::text", id))
			.isEqualTo(1);
	}

	@Test
	void keepsCardsOfOtherBranchesOutOfReach() throws Exception {
		long other = this.jdbc.sql("select min(id) from branch where id <> :mine")
			.param("mine", adminsBranch())
			.query(Long.class)
			.single();
		long elsewhere = this.jdbc.sql(
				"select min(id) from patient p where home_branch_id = :b and merged_into is null and erased_at is null and not exists (select 1 from appointment a where a.patient_id = p.id)")
			.param("b", other)
			.query(Long.class)
			.single();
		this.mvc.perform(get("/patients/{id}", elsewhere).with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/patients/{id}", elsewhere).with(this.logins.as("owner"))).andExpect(status().isOk());
		this.mvc.perform(newPatient("Чужая", "Вера", uniqueMobile(), other))
			.andExpect(model().attributeHasFieldErrorCode("form", "homeBranchId", "validation.unknown"));
		this.mvc.perform(get("/patients/{id}", elsewhere).with(this.logins.as("marketer")))
			.andExpect(status().isForbidden());
	}

	@Test
	void showsWhatWasTypedEscaped() throws Exception {
		long id = create("<b>Жирнова</b>", "<script>x()</script>", uniqueMobile());
		this.mvc.perform(get("/patients/{id}", id).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("&lt;b&gt;Жирнова&lt;/b&gt;")))
			.andExpect(content().string(not(containsString("<script>x()"))));
	}

	@Test
	void givesAndWithdrawsConsentsAndAnswersTheMarketingQuestion() throws Exception {
		long id = create("Согласнова", "Дарья", uniqueMobile());
		assertThat(this.consents.marketingAllowed(id)).isFalse();
		this.mvc
			.perform(post("/patients/{id}/consents", id).with(csrf())
				.with(this.logins.as("admin"))
				.param("kind", "MARKETING")
				.param("channel", "PAPER")
				.param("givenOn", LocalDate.now().toString())
				.param("proof", "Договор № 15"))
			.andExpect(status().is3xxRedirection());
		assertThat(this.consents.marketingAllowed(id)).isTrue();
		assertThat(this.consents.marketingAllowed(List.of(id, -1L))).containsExactly(id);
		long consent = this.consents.of(id).get(0).id();
		this.mvc
			.perform(post("/patients/{id}/consents/{c}/withdraw", id, consent).with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection());
		assertThat(this.consents.marketingAllowed(id)).isFalse();
		assertThat(this.consents.of(id)).singleElement().satisfies(c -> {
			assertThat(c.proof()).isEqualTo("Договор № 15");
			assertThat(c.withdrawnAt()).isNotNull();
		});
		this.mvc
			.perform(post("/patients/{id}/consents", id).with(csrf())
				.with(this.logins.as("admin"))
				.param("kind", "MARKETING")
				.param("channel", "PAPER")
				.param("givenOn", LocalDate.now().plusDays(3).toString()))
			.andExpect(status().is3xxRedirection());
		assertThat(this.consents.marketingAllowed(id)).isFalse();
		this.mvc.perform(get("/patients/{id}", id).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("Согласие отозвано")));
	}

	long create(String surname, String name, String phone) throws Exception {
		return create(surname, name, phone, null);
	}

	long create(String surname, String name, String phone, String birthDate) throws Exception {
		var request = newPatient(surname, name, phone).param("confirmDuplicate", "true");
		if (birthDate != null) {
			request.param("birthDate", birthDate);
		}
		String location = this.mvc.perform(request)
			.andExpect(status().is3xxRedirection())
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
	}

	MockHttpServletRequestBuilder newPatient(String surname, String name, String phone) {
		return newPatient(surname, name, phone, adminsBranch());
	}

	MockHttpServletRequestBuilder newPatient(String surname, String name, String phone, long branch) {
		return post("/patients").with(csrf())
			.with(this.logins.as("admin"))
			.param("surname", surname)
			.param("name", name)
			.param("phone1", phone)
			.param("homeBranchId", String.valueOf(branch));
	}

	long adminsBranch() {
		return this.logins.branchOf("admin");
	}

	List<String> phones(long id) {
		return this.jdbc.sql("select number from patient_phone where patient_id = :id")
			.param("id", id)
			.query(String.class)
			.list();
	}

	long count(String sql, long id) {
		return this.jdbc.sql(sql).param("id", id).query(Long.class).single();
	}

	/**
	 * Ten digits of a random mobile number (Yota's 999 code), one in ten million to meet
	 * a demo one.
	 */
	static String uniqueMobile() {
		return "999" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
	}

}
