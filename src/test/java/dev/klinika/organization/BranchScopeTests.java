package dev.klinika.organization;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

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
 * A login of one branch neither sees nor reaches another branch's records, by list or by
 * URL.
 */
@KlinikaTest
class BranchScopeTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Test
	void hidesOtherBranchesFromTheirList() throws Exception {
		List<String> names = this.jdbc.sql("select name from branch order by id").query(String.class).list();
		String adminsBranch = adminsBranchName();
		var page = this.mvc.perform(get("/organization/branches").with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains(adminsBranch);
		names.stream()
			.filter(name -> !name.equals(adminsBranch))
			.forEach(name -> assertThat(page).doesNotContain(name));
		this.mvc.perform(get("/organization/branches").with(this.logins.as("owner")))
			.andExpect(content().string(containsString(names.get(names.size() - 1))));
	}

	@Test
	void answersNotFoundForAnotherBranchByUrl() throws Exception {
		long other = otherBranch();
		this.mvc.perform(get("/organization/branches/{id}", other).with(this.logins.as("admin")))
			.andExpect(status().isNotFound())
			.andExpect(content().string(containsString("Страница не найдена")))
			// ... in the full layout, with the login's name and navigation.
			.andExpect(content().string(containsString("Анна Игоревна Лебедева")))
			.andExpect(content().string(containsString("id=\"sidenav\"")));
		long staffElsewhere = this.jdbc.sql("""
				select min(staff_id) from staff_branch where branch_id = :other
				   and staff_id not in (select staff_id from staff_branch where branch_id = :mine)
				""").param("other", other).param("mine", adminsBranch()).query(Long.class).single();
		this.mvc.perform(get("/organization/staff/{id}", staffElsewhere).with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/organization/staff/{id}", staffElsewhere).with(this.logins.as("owner")))
			.andExpect(status().isOk());
	}

	@Test
	void refusesToChangeAnotherBranchsRecords() throws Exception {
		long other = otherBranch();
		String before = this.jdbc.sql("select name from branch where id = :id")
			.param("id", other)
			.query(String.class)
			.single();
		// A manager-role check comes first (admins may not edit branches at all) ...
		this.mvc
			.perform(post("/organization/branches/{id}", other).with(csrf())
				.with(this.logins.as("admin"))
				.param("name", "Захвачен")
				.param("address", "x")
				.param("timeZone", "Europe/Moscow"))
			.andExpect(status().isForbidden());
		// ... and the branch stays as it was.
		assertThat(
				this.jdbc.sql("select name from branch where id = :id").param("id", other).query(String.class).single())
			.isEqualTo(before);
	}

	@Test
	void narrowsListsToTheBranchChosenInTheTopBar() throws Exception {
		long mine = adminsBranch();
		// Sessions live in PostgreSQL (Spring Session): the SESSION cookie carries the
		// choice.
		var session = this.mvc
			.perform(post("/workspace/branch").with(csrf())
				.with(this.logins.as("owner"))
				.param("branchId", String.valueOf(mine))
				.header("Referer", "http://localhost/organization/staff"))
			.andExpect(status().is3xxRedirection())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers
				.redirectedUrl("/organization/staff"))
			.andReturn()
			.getResponse()
			.getCookie("SESSION");
		List<?> staff = (List<?>) this.mvc
			.perform(get("/organization/staff").cookie(session).with(this.logins.as("owner")))
			.andReturn()
			.getModelAndView()
			.getModel()
			.get("staff");
		long inBranch = this.jdbc.sql("""
				select count(*) from staff_branch sb join staff s on s.id = sb.staff_id
				 where sb.branch_id = :b and s.dismissed_on is null
				""").param("b", mine).query(Long.class).single();
		assertThat(staff).hasSize((int) inBranch);
	}

	@Test
	void refusesAStaffMemberInABranchOutsideTheEditorsScope() throws Exception {
		String surname = "Тестов" + UUID.randomUUID().toString().substring(0, 6);
		this.mvc
			.perform(post("/organization/staff").with(csrf())
				.with(this.logins.as("manager"))
				.param("surname", surname)
				.param("name", "Пётр")
				.param("position", "Врач")
				.param("phone", "not a phone")
				.param("branchIds", "999999"))
			.andExpect(model().attributeHasFieldErrors("form", "phone", "branchIds"))
			.andExpect(content().string(containsString("Не похоже на номер телефона")));
		assertThat(this.jdbc.sql("select count(*) from staff where surname = :s")
			.param("s", surname)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void refusesAnUnknownTimeZoneAndReversedHours() throws Exception {
		String name = "Филиал " + UUID.randomUUID();
		this.mvc
			.perform(post("/organization/branches").with(csrf())
				.with(this.logins.as("owner"))
				.param("name", name)
				.param("address", "г. Москва")
				.param("timeZone", "Mars/Olympus")
				.param("days[0].day", "1")
				.param("days[0].open", "true")
				.param("days[0].opens", "18:00")
				.param("days[0].closes", "09:00"))
			.andExpect(model().attributeHasFieldErrorCode("form", "timeZone", "validation.timeZone"))
			.andExpect(model().attributeHasFieldErrorCode("form", "days[0].closes", "validation.hours.order"))
			.andExpect(content().string(not(containsString("Exception"))));
		assertThat(this.jdbc.sql("select count(*) from branch where name = :n")
			.param("n", name)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void refusesAFormWithFieldsNoFormHas() throws Exception {
		String name = "Филиал " + UUID.randomUUID();
		this.mvc
			.perform(post("/organization/branches").with(csrf())
				.with(this.logins.as("owner"))
				.param("name", name)
				.param("address", "г. Москва")
				.param("timeZone", "Europe/Moscow")
				.param("days[5000].open", "true"))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("Проверьте адрес и данные формы")));
		assertThat(this.jdbc.sql("select count(*) from branch where name = :n")
			.param("n", name)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void auditsViewsOfAStaffCard() throws Exception {
		long staff = this.jdbc.sql("select min(id) from staff").query(Long.class).single();
		long before = views(staff);
		this.mvc.perform(get("/organization/staff/{id}", staff).with(this.logins.as("owner")))
			.andExpect(status().isOk());
		assertThat(views(staff)).isEqualTo(before + 1);
	}

	private long views(long staff) {
		return this.jdbc.sql("select count(*) from audit_log where action = 'STAFF_VIEWED' and record_id = :id")
			.param("id", String.valueOf(staff))
			.query(Long.class)
			.single();
	}

	private long adminsBranch() {
		return this.logins.branchOf("admin");
	}

	private String adminsBranchName() {
		return this.jdbc.sql("select name from branch where id = :id")
			.param("id", adminsBranch())
			.query(String.class)
			.single();
	}

	private long otherBranch() {
		return this.jdbc.sql("select min(id) from branch where id <> :mine")
			.param("mine", adminsBranch())
			.query(Long.class)
			.single();
	}

}
