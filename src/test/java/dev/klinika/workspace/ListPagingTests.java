package dev.klinika.workspace;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Long lists come 50 rows a page with how many there are in all: every row once over the
 * pages, in the list's order, and a page number out of range is no error.
 */
@KlinikaTest
class ListPagingTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Logins logins;

	@Test
	void theTaskListPagesThroughEveryOpenTaskOnce() throws Exception {
		long consultant = this.jdbc.sql("select id from app_user where username = 'consultant'")
			.query(Long.class)
			.single();
		String tag = UUID.randomUUID().toString().substring(0, 8);
		// 123 of the consultant's own, due one minute apart, two of them at the same
		// time.
		this.jdbc.sql("""
				insert into task (title, kind, branch_id, owner_user_id, due_at, created_by)
				select 'Задача ' || :tag || ' ' || g, 'CUSTOM', (select min(id) from branch), :owner,
				       now() + interval '1 day' + least(g, 122) * interval '1 minute', 'test'
				  from generate_series(1, 123) g
				""").param("tag", tag).param("owner", consultant).update();
		int total = this.jdbc.sql("""
				select count(*) from task where (owner_user_id = :owner or (owner_user_id is null
				        and owner_role in (select role from user_role where user_id = :owner)
				        and branch_id in (select branch_id from user_branch where user_id = :owner)))
				   and status in ('OPEN', 'IN_PROGRESS')
				""").param("owner", consultant).query(Integer.class).single();
		List<Long> seen = new ArrayList<>();
		int pages = (total + 49) / 50;
		for (int page = 0; page < pages; page++) {
			String html = this.mvc
				.perform(get("/tasks").param("page", String.valueOf(page)).with(this.logins.as("consultant")))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			List<Long> rows = ids(html, "data-task=\"(\\d+)\"");
			assertThat(rows).hasSize(page < pages - 1 ? 50 : total - 50 * (pages - 1));
			assertThat(html).contains((page * 50 + 1) + "–" + (page * 50 + rows.size()) + " из " + total);
			assertThat(html.contains("rel=\"next\"")).isEqualTo(page < pages - 1);
			assertThat(html.contains("rel=\"prev\"")).isEqualTo(page > 0);
			seen.addAll(rows);
		}
		List<Long> expected = this.jdbc
			.sql("""
					select id from task where (owner_user_id = :owner or (owner_user_id is null
					       and owner_role in (select role from user_role where user_id = :owner)
					       and branch_id in (select branch_id from user_branch where user_id = :owner)))
					  and status in ('OPEN', 'IN_PROGRESS')
					 order by due_at, case priority when 'URGENT' then 0 when 'HIGH' then 1 when 'NORMAL' then 2 else 3 end, id
					""")
			.param("owner", consultant)
			.query(Long.class)
			.list();
		assertThat(seen).isEqualTo(expected);
		// Out of range: the first page for a negative number, an empty page far ahead.
		String first = this.mvc.perform(get("/tasks").param("page", "-3").with(this.logins.as("consultant")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(ids(first, "data-task=\"(\\d+)\"")).isEqualTo(expected.subList(0, 50));
		String far = this.mvc.perform(get("/tasks").param("page", "99999999").with(this.logins.as("consultant")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(ids(far, "data-task=\"(\\d+)\"")).isEmpty();
		// Not a number: no such page, as for any malformed address.
		this.mvc.perform(get("/tasks").param("page", "x").with(this.logins.as("consultant")))
			.andExpect(status().isNotFound());
		this.jdbc.sql("delete from task where title like :tag").param("tag", "Задача " + tag + "%").update();
	}

	@Test
	void theCallsListPagesByTimeNewestFirst() throws Exception {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		this.jdbc
			.sql("""
					insert into call (vendor, vendor_call_id, direction, caller, started_at, ended_at,
					                  branch_id)
					select 'test', :tag || g, 'IN', '+7916' || lpad(g::text, 7, '0'), now() + interval '1 hour' + g * interval '1 second',
					       now() + interval '1 hour' + g * interval '1 second' + interval '20 seconds',
					       (select min(id) from branch)
					  from generate_series(1, 75) g
					""")
			.param("tag", tag)
			.update();
		List<Long> newest = this.jdbc.sql("""
				select id from call where vendor_call_id like :tag order by started_at desc, id desc
				""").param("tag", tag + "%").query(Long.class).list();
		String page1 = this.mvc.perform(get("/telephony/calls").with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String page2 = this.mvc.perform(get("/telephony/calls").param("page", "1").with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		List<Long> first = ids(page1, "data-call=\"(\\d+)\"");
		List<Long> second = ids(page2, "data-call=\"(\\d+)\"");
		assertThat(first).hasSize(50).isEqualTo(newest.subList(0, 50));
		assertThat(second.subList(0, 25)).isEqualTo(newest.subList(50, 75));
		assertThat(page1).contains("1–50 из ").contains("rel=\"next\"");
		assertThat(page2).containsPattern("51–\\d+ из ").contains("rel=\"prev\"");
		this.jdbc.sql("delete from call where vendor_call_id like :tag").param("tag", tag + "%").update();
	}

	private static List<Long> ids(String html, String pattern) {
		List<Long> ids = new ArrayList<>();
		Matcher matcher = Pattern.compile(pattern).matcher(html);
		while (matcher.find()) {
			ids.add(Long.parseLong(matcher.group(1)));
		}
		return ids;
	}

}
