package dev.klinika.workspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Each role's home page opens on its day: the reception's visits by where they stand with
 * one-click actions, the doctor's own patients, the consultant's due patients, the
 * network's figures and the marketer's week, each the same as the database says.
 */
@KlinikaTest
class TodayViewsTests {

	/** The branch-local today of a branch as an SQL range over {@code b}. */
	private static final String TODAY = """
			tstzrange((date_trunc('day', now() at time zone b.time_zone)) at time zone b.time_zone,
			          (date_trunc('day', now() at time zone b.time_zone) + interval '1 day') at time zone b.time_zone)
			""";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Logins logins;

	@Test
	void theReceptionSeesEveryVisitOfTodayInItsGroup() throws Exception {
		long branch = this.logins.branchOf("admin");
		String html = home("admin");
		Map<String, Object> expected = this.jdbc
			.sql("""
					select count(*) filter (where a.status in ('BOOKED', 'CONFIRMED') and lower(a.during) < now() - interval '5 minutes') as late,
					       count(*) filter (where a.status in ('BOOKED', 'CONFIRMED') and lower(a.during) >= now() - interval '5 minutes') as expected,
					       count(*) filter (where a.status = 'CHECKED_IN') as arrived,
					       count(*) filter (where a.status = 'IN_PROGRESS') as in_chair,
					       count(*) filter (where a.status = 'COMPLETED') as done,
					       count(*) filter (where a.status = 'NO_SHOW') as no_show
					  from appointment a join branch b on b.id = a.branch_id
					 where a.branch_id = :branch and a.status <> 'CANCELLED' and lower(a.during) <@ %s
					"""
				.formatted(TODAY))
			.param("branch", branch)
			.query()
			.singleRow();
		int total = 0;
		for (String group : List.of("LATE", "EXPECTED", "ARRIVED", "IN_CHAIR", "DONE", "NO_SHOW")) {
			String section = section(html, "data-group=\"" + group + "\"", "data-group=|id=\"calls-to-return\"");
			int count = ((Number) expected.get(group.toLowerCase())).intValue();
			// The first eight of each group, and how many there are in all.
			assertThat(ids(section, "data-visit=\"(\\d+)\"")).as(group).hasSize(Math.min(count, TodayBoard.SHORT_LIST));
			assertThat(section.contains("ещё " + (count - TodayBoard.SHORT_LIST)))
				.isEqualTo(count > TodayBoard.SHORT_LIST);
			assertThat(section).as(group).contains("<span class=\"group-count\">" + count + "</span>");
			total += count;
		}
		assertThat(total).as("the demo has a day of visits in the admin's branch").isPositive();
		// Tomorrow's booked but unconfirmed visits, each with its confirm button.
		List<Long> tomorrow = this.jdbc
			.sql("""
					select a.id from appointment a join branch b on b.id = a.branch_id
					 where a.branch_id = :branch and a.status = 'BOOKED'
					   and lower(a.during) <@ tstzrange((date_trunc('day', now() at time zone b.time_zone) + interval '1 day') at time zone b.time_zone,
					                                    (date_trunc('day', now() at time zone b.time_zone) + interval '2 days') at time zone b.time_zone)
					 order by lower(a.during), a.id
					""")
			.param("branch", branch)
			.query(Long.class)
			.list();
		String confirm = section(html, "id=\"tomorrow-to-confirm\"", "</section>");
		assertThat(ids(confirm, "data-visit=\"(\\d+)\""))
			.containsExactlyElementsOf(tomorrow.subList(0, Math.min(tomorrow.size(), TodayBoard.SHORT_LIST)));
		assertThat(confirm).contains("<span class=\"group-count\">" + tomorrow.size() + "</span>");
	}

	@Test
	void oneClickConfirmsTomorrowsVisitAndComesBackHomeButNotAnotherBranchs() throws Exception {
		long branch = this.logins.branchOf("admin");
		Long mine = this.jdbc.sql("""
				select a.id from appointment a where a.branch_id = :branch and a.status = 'BOOKED'
				   and lower(a.during) > now() + interval '1 day' order by a.id limit 1
				""").param("branch", branch).query(Long.class).single();
		Long theirs = this.jdbc.sql("""
				select a.id from appointment a where a.branch_id <> :branch and a.status = 'BOOKED'
				   and lower(a.during) > now() + interval '1 day' order by a.id limit 1
				""").param("branch", branch).query(Long.class).single();
		this.mvc
			.perform(post("/scheduling/appointments/{id}/status", mine).param("to", "CONFIRMED")
				.param("back", "home")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(redirectedUrl("/"));
		assertThat(statusOf(mine)).isEqualTo("CONFIRMED");
		this.mvc
			.perform(post("/scheduling/appointments/{id}/status", theirs).param("to", "CONFIRMED")
				.param("back", "home")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		assertThat(statusOf(theirs)).isEqualTo("BOOKED");
	}

	@Test
	void theDoctorSeesTheirOwnPatientsOfTodayInOrderAndTheScheduleLinkOpensTheirWeek() throws Exception {
		long staff = this.jdbc.sql("select staff_id from app_user where username = 'doctor'")
			.query(Long.class)
			.single();
		List<Long> expected = this.jdbc.sql("""
				select a.id from appointment a join branch b on b.id = a.branch_id
				 where a.staff_id = :staff and a.status <> 'CANCELLED' and lower(a.during) <@ %s
				 order by lower(a.during), a.id
				""".formatted(TODAY)).param("staff", staff).query(Long.class).list();
		String html = home("doctor");
		assertThat(ids(section(html, "id=\"doctor-today\"", "</section>"), "data-visit=\"(\\d+)\""))
			.containsExactlyElementsOf(expected);
		assertThat(html).doesNotContain("id=\"reception-today\"").contains("href=\"/scheduling/mine\"");
		String week = this.mvc.perform(get("/scheduling/mine").with(this.logins.as("doctor")))
			.andExpect(status().is3xxRedirection())
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		assertThat(week).startsWith("/scheduling/week?branch=").endsWith("&staff=" + staff);
	}

	@Test
	void theConsultantSeesTheirPatientsWithATaskDueByTonight() throws Exception {
		long consultant = this.jdbc.sql("select id from app_user where username = 'consultant'")
			.query(Long.class)
			.single();
		long patient = this.jdbc.sql("select min(id) from patient where erased_at is null").query(Long.class).single();
		long due = this.jdbc
			.sql("""
					insert into task (title, kind, branch_id, owner_user_id, patient_id, due_at, created_by)
					values ('Позвонить о курсе', 'CUSTOM', (select min(id) from branch), :owner, :patient, now() - interval '1 minute', 'test')
					returning id
					""")
			.param("owner", consultant)
			.param("patient", patient)
			.query(Long.class)
			.single();
		long later = this.jdbc
			.sql("""
					insert into task (title, kind, branch_id, owner_user_id, patient_id, due_at, created_by)
					values ('Через неделю', 'CUSTOM', (select min(id) from branch), :owner, :patient, now() + interval '8 days', 'test')
					returning id
					""")
			.param("owner", consultant)
			.param("patient", patient)
			.query(Long.class)
			.single();
		String section = section(home("consultant"), "id=\"consultant-today\"", "</section>");
		assertThat(ids(section, "data-task=\"(\\d+)\"")).contains(due).doesNotContain(later);
		assertThat(section).contains("Позвонить о курсе");
	}

	@Test
	void theOwnerSeesEachBranchsDayBesideYesterdayAndLastWeek() throws Exception {
		String section = section(home("owner"), "id=\"network-today\"", "</section>");
		List<Map<String, Object>> branches = this.jdbc.sql("""
				select b.name,
				       (select count(*) from appointment a where a.branch_id = b.id and a.status <> 'CANCELLED'
				           and lower(a.during) <@ %s) as planned,
				       (select count(*) from appointment a where a.branch_id = b.id and a.status <> 'CANCELLED'
				           and lower(a.during) <@ tstzrange(lower(%s) - interval '1 day', lower(%s))) as yesterday
				  from branch b where b.active order by lower(b.name)
				""".formatted(TODAY, TODAY, TODAY)).query().listOfRows();
		List<String> rows = new ArrayList<>(List.of(section.split("<tr")));
		for (Map<String, Object> branch : branches) {
			String row = rows.stream()
				.filter(r -> r.contains(">" + branch.get("name") + "<"))
				.findFirst()
				.orElseThrow();
			List<String> cells = cells(row);
			assertThat(cells.get(0)).as("%s planned today", branch.get("name"))
				.isEqualTo(String.valueOf(branch.get("planned")));
			assertThat(cells.get(1)).as("%s planned yesterday", branch.get("name"))
				.startsWith(branch.get("yesterday") + " · ");
		}
		assertThat(section).contains("Вся сеть");
	}

	@Test
	void theMarketerSeesTheLastSevenDaysLeadsBySource() throws Exception {
		String html = home("marketer");
		String table = section(html, "id=\"week-table\"", "</table>");
		List<Map<String, Object>> sources = this.jdbc
			.sql("""
					select coalesce(s.name, l.utm_source, 'Без источника') as source, count(*) as leads from lead l
					  left join patient_source s on s.id = l.source_id
					 where (l.branch_id is null or l.branch_id in (select ub.branch_id from user_branch ub
					        join app_user u on u.id = ub.user_id where u.username = 'marketer'))
					   and l.created_at >= (date_trunc('day', now() at time zone :zone) - interval '6 days') at time zone :zone
					   and l.created_at < (date_trunc('day', now() at time zone :zone) + interval '1 day') at time zone :zone
					 group by 1
					""")
			.param("zone", java.time.ZoneId.systemDefault().getId())
			.query()
			.listOfRows();
		assertThat(sources).as("the demo has leads in the last seven days").isNotEmpty();
		for (Map<String, Object> source : sources) {
			if (!((String) source.get("source")).matches("[\\p{L}\\p{N} .-]+")) {
				// Other tests' tags with markup in them: escaped on the page.
				continue;
			}
			assertThat(table).contains("data-source=\"" + source.get("source") + "\"");
			String row = section(table, "data-source=\"" + source.get("source") + "\"", "</tr>");
			assertThat(row).contains("<td class=\"leads\">" + source.get("leads") + "</td>");
		}
		assertThat(html).contains("id=\"chart-sources\"").contains("id=\"chart-channels\"");
	}

	private String home(String login) throws Exception {
		return this.mvc.perform(get("/").with(this.logins.as(login)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private String statusOf(long appointment) {
		return this.jdbc.sql("select status from appointment where id = :id")
			.param("id", appointment)
			.query(String.class)
			.single();
	}

	/** The HTML from a marker to the next match of a pattern after it. */
	static String section(String html, String from, String until) {
		int start = html.indexOf(from);
		assertThat(start).as("page has " + from).isNotNegative();
		Matcher end = Pattern.compile(until).matcher(html);
		return end.find(start + from.length()) ? html.substring(start, end.start()) : html.substring(start);
	}

	private static List<Long> ids(String html, String pattern) {
		List<Long> ids = new ArrayList<>();
		Matcher matcher = Pattern.compile(pattern).matcher(html);
		while (matcher.find()) {
			ids.add(Long.parseLong(matcher.group(1)));
		}
		return ids;
	}

	/**
	 * A table row's figures: each cell's today figure, then its "yesterday · week ago".
	 */
	private static List<String> cells(String row) {
		List<String> cells = new ArrayList<>();
		Matcher matcher = Pattern.compile("<strong>(\\d+)</strong>\\s*<span class=\"muted small trio\">([^<]+)</span>")
			.matcher(row);
		while (matcher.find()) {
			cells.add(matcher.group(1));
			cells.add(matcher.group(2));
		}
		return cells;
	}

}
