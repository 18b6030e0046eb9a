package dev.klinika.catalog;

import java.time.LocalDate;
import java.util.UUID;

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

/** The service form refuses bad input field by field and keeps prices as a history. */
@KlinikaTest
class ServiceFormTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	CatalogQueries queries;

	@Test
	void createsAServiceWithItsFirstPrice() throws Exception {
		String code = uniqueCode();
		this.mvc.perform(newService(code, "Массаж головы", "30", "1500.50")).andExpect(status().is3xxRedirection());
		long id = idOf(code);
		assertThat(this.queries.priceOn(id, LocalDate.now())).contains(dev.klinika.shared.Money.rub("1500.50"));
		assertThat(audited("SERVICE_CREATED", id)).isEqualTo(1);
	}

	@Test
	void refusesBadFieldsWithMessagesAndSavesNothing() throws Exception {
		String code = uniqueCode();
		this.mvc.perform(newService(code, "", "0", "-5"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrors("form", "name", "durationMinutes", "price"))
			.andExpect(content().string(containsString("Заполните это поле")))
			.andExpect(content().string(containsString("Длительность — от 1 до 1440 минут")))
			.andExpect(content().string(containsString("Цена не может быть отрицательной")));
		assertThat(count(code)).isZero();
	}

	@Test
	void refusesAFormWithoutItsCsrfTokenAndSavesNothing() throws Exception {
		String code = uniqueCode();
		this.mvc
			.perform(post("/catalog/services").with(this.logins.as("admin"))
				.param("code", code)
				.param("name", "Без токена")
				.param("specialtyId", String.valueOf(anySpecialty()))
				.param("durationMinutes", "30")
				.param("price", "100"))
			.andExpect(status().isForbidden());
		assertThat(count(code)).isZero();
	}

	@Test
	void answersInEnglishWhenAsked() throws Exception {
		this.mvc.perform(newService(uniqueCode(), "", "30", "100").param("lang", "en"))
			.andExpect(content().string(containsString("Please fill in this field.")));
	}

	@Test
	void refusesADuplicateCodeWhateverItsCase() throws Exception {
		String code = uniqueCode();
		this.mvc.perform(newService(code, "Первая", "30", "100")).andExpect(status().is3xxRedirection());
		this.mvc.perform(newService(code.toLowerCase(), "Вторая", "30", "100"))
			.andExpect(model().attributeHasFieldErrorCode("form", "code", "validation.duplicate.code"));
		assertThat(count(code)).isEqualTo(1);
	}

	@Test
	void refusesNonNumbersUnknownSpecialtiesAndHugeText() throws Exception {
		this.mvc
			.perform(post("/catalog/services").with(csrf())
				.with(this.logins.as("admin"))
				.param("code", uniqueCode())
				.param("name", "x".repeat(5000))
				.param("specialtyId", "999999")
				.param("durationMinutes", "полчаса")
				.param("price", "1e400")
				.param("repeatUnit", "MONTHS"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrors("form", "name", "specialtyId", "durationMinutes", "price"));
	}

	@Test
	void storesScriptsAsTypedAndShowsThemEscaped() throws Exception {
		String code = uniqueCode();
		String name = "<script>alert('x')</script> Массаж";
		this.mvc.perform(newService(code, name, "30", "100")).andExpect(status().is3xxRedirection());
		assertThat(
				this.jdbc.sql("select name from service where code = :c").param("c", code).query(String.class).single())
			.isEqualTo(name);
		this.mvc.perform(get("/catalog/services").param("q", code).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Массаж")))
			.andExpect(content().string(not(containsString("<script>alert"))));
	}

	@Test
	void changesThePriceFromAFutureDateAndKeepsTheOldOne() throws Exception {
		String code = uniqueCode();
		this.mvc.perform(newService(code, "Прогревание", "15", "700")).andExpect(status().is3xxRedirection());
		long id = idOf(code);
		LocalDate nextMonth = LocalDate.now().plusMonths(1);
		this.mvc
			.perform(post("/catalog/services/{id}/price", id).with(csrf())
				.with(this.logins.as("admin"))
				.param("price", "900")
				.param("validFrom", nextMonth.toString()))
			.andExpect(status().is3xxRedirection());
		assertThat(this.queries.priceOn(id, LocalDate.now())).contains(dev.klinika.shared.Money.rub("700.00"));
		assertThat(this.queries.priceOn(id, nextMonth)).contains(dev.klinika.shared.Money.rub("900.00"));
		assertThat(this.queries.priceHistory(id)).hasSize(2);
	}

	@Test
	void refusesAPriceChangeInThePast() throws Exception {
		String code = uniqueCode();
		this.mvc.perform(newService(code, "Прогревание", "15", "700")).andExpect(status().is3xxRedirection());
		long id = idOf(code);
		this.mvc
			.perform(post("/catalog/services/{id}/price", id).with(csrf())
				.with(this.logins.as("admin"))
				.param("price", "1")
				.param("validFrom", LocalDate.now().minusDays(1).toString()))
			.andExpect(model().attributeHasFieldErrorCode("priceForm", "validFrom", "validation.price.past"));
		assertThat(this.queries.priceHistory(id)).hasSize(1);
	}

	@Test
	void refusesToOverwriteAChangeSomeoneElseMadeFirst() throws Exception {
		String code = uniqueCode();
		this.mvc.perform(newService(code, "Версия", "30", "100")).andExpect(status().is3xxRedirection());
		long id = idOf(code);
		int version = this.jdbc.sql("select version from service where id = :id")
			.param("id", id)
			.query(Integer.class)
			.single();
		this.mvc.perform(edit(id, code, "Первый редактор", version)).andExpect(status().is3xxRedirection());
		this.mvc.perform(edit(id, code, "Второй редактор", version))
			.andExpect(status().isConflict())
			.andExpect(content().string(containsString("изменил другой сотрудник")));
		assertThat(
				this.jdbc.sql("select name from service where id = :id").param("id", id).query(String.class).single())
			.isEqualTo("Первый редактор");
	}

	@Test
	void deactivatesACategoryAndStopsOfferingIt() throws Exception {
		String name = "Категория " + uniqueCode();
		this.mvc.perform(post("/catalog/categories").with(csrf()).with(this.logins.as("admin")).param("name", name))
			.andExpect(status().is3xxRedirection());
		long id = this.jdbc.sql("select id from service_category where name = :n")
			.param("n", name)
			.query(Long.class)
			.single();
		this.mvc.perform(get("/catalog/services/new").with(this.logins.as("admin")))
			.andExpect(content().string(containsString(name)));
		this.mvc.perform(post("/catalog/categories/{id}/deactivate", id).with(csrf()).with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection());
		this.mvc.perform(get("/catalog/services/new").with(this.logins.as("admin")))
			.andExpect(content().string(not(containsString(name))));
		this.mvc.perform(post("/catalog/categories/{id}/deactivate", id).with(csrf()).with(this.logins.as("doctor")))
			.andExpect(status().isForbidden());
	}

	private MockHttpServletRequestBuilder edit(long id, String code, String name, int version) {
		return post("/catalog/services/{id}", id).with(csrf())
			.with(this.logins.as("admin"))
			.param("code", code)
			.param("name", name)
			.param("specialtyId", String.valueOf(anySpecialty()))
			.param("durationMinutes", "30")
			.param("repeatUnit", "MONTHS")
			.param("version", String.valueOf(version));
	}

	private MockHttpServletRequestBuilder newService(String code, String name, String minutes, String price) {
		return post("/catalog/services").with(csrf())
			.with(this.logins.as("admin"))
			.param("code", code)
			.param("name", name)
			.param("specialtyId", String.valueOf(anySpecialty()))
			.param("durationMinutes", minutes)
			.param("price", price)
			.param("repeatAmount", "6")
			.param("repeatUnit", "MONTHS");
	}

	private long anySpecialty() {
		return this.jdbc.sql("select min(id) from specialty").query(Long.class).single();
	}

	private long idOf(String code) {
		return this.jdbc.sql("select id from service where code = :c").param("c", code).query(Long.class).single();
	}

	private long count(String code) {
		return this.jdbc.sql("select count(*) from service where lower(code) = lower(:c)")
			.param("c", code)
			.query(Long.class)
			.single();
	}

	private long audited(String action, long id) {
		return this.jdbc.sql("select count(*) from audit_log where action = :a and record_id = :id")
			.param("a", action)
			.param("id", String.valueOf(id))
			.query(Long.class)
			.single();
	}

	private static String uniqueCode() {
		return "T-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
	}

}
