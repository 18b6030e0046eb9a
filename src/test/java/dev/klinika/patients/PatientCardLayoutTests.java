package dev.klinika.patients;

import java.util.List;
import java.util.Map;

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
 * The card as the reception reads it: the name and a Записать button on top, the next
 * visit, last contact and open tasks beside it, the visits (ahead, then past with their
 * status) before the timeline, consents and relatives folded away; the grid it opens
 * books that patient.
 */
@KlinikaTest
class PatientCardLayoutTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Logins logins;

	@Test
	void theCardOpensWithVisitsAheadThenPastThenTheTimelineAndFoldsConsentsAway() throws Exception {
		long branch = this.logins.branchOf("admin");
		// A demo patient of the admin's branch with visits both ahead and behind.
		long patient = this.jdbc
			.sql("""
					select p.id from patient p where p.home_branch_id = :branch and p.erased_at is null
					   and exists (select 1 from appointment a where a.patient_id = p.id and lower(a.during) > now() + interval '1 day'
					               and a.status in ('BOOKED', 'CONFIRMED'))
					   and exists (select 1 from appointment a where a.patient_id = p.id and a.status = 'COMPLETED')
					 order by p.id limit 1
					""")
			.param("branch", branch)
			.query(Long.class)
			.single();
		Map<String, Object> next = this.jdbc.sql("""
				select a.id, to_char(lower(a.during) at time zone b.time_zone, 'DD.MM.YYYY HH24:MI') as at
				  from appointment a join branch b on b.id = a.branch_id
				 where a.patient_id = :p and a.status in ('BOOKED', 'CONFIRMED', 'CHECKED_IN', 'IN_PROGRESS')
				   and lower(a.during) > now() - interval '12 hours'
				 order by lower(a.during) limit 1
				""").param("p", patient).query().singleRow();
		int completed = this.jdbc.sql("select count(*) from appointment where patient_id = :p and status = 'COMPLETED'")
			.param("p", patient)
			.query(Integer.class)
			.single();
		String html = this.mvc.perform(get("/patients/{id}", patient).with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		// The order a receptionist reads it in.
		List<String> order = List.of("id=\"book-patient\"", "id=\"card-summary\"", "id=\"visits\"", "id=\"timeline\"",
				"id=\"consents\"", "id=\"family\"");
		for (int i = 1; i < order.size(); i++) {
			assertThat(html.indexOf(order.get(i))).as(order.get(i) + " after " + order.get(i - 1))
				.isGreaterThan(html.indexOf(order.get(i - 1)))
				.isPositive();
		}
		assertThat(html).contains("<details id=\"consents\"").contains("<details id=\"family\"");
		assertThat(html).contains("href=\"/scheduling/day?patient=" + patient + "&amp;branch=" + branch + "\"");
		// The next visit in the summary, linked to its page, at the branch's time.
		String summary = html.substring(html.indexOf("id=\"card-summary\""), html.indexOf("id=\"visits\""));
		assertThat(summary).contains("href=\"/scheduling/appointments/" + next.get("id") + "\"")
			.contains((String) next.get("at"));
		// Ahead first, then the past with their status, at most ten.
		String visits = html.substring(html.indexOf("id=\"visits\""), html.indexOf("id=\"timeline\""));
		assertThat(visits.indexOf("class=\"ahead\"")).isLessThan(visits.indexOf("class=\"past\""));
		assertThat(visits.split("data-kind=\"VISIT_COMPLETED\"", -1).length - 1).isEqualTo(Math.min(completed, 10));
		assertThat(visits).contains("Завершён");
		// The timeline no longer repeats the visits.
		String timeline = html.substring(html.indexOf("id=\"timeline\""), html.indexOf("id=\"consents\""));
		assertThat(timeline).doesNotContain("/scheduling/appointments/");
	}

	@Test
	void theGridOpenedFromTheCardBooksThatPatientAndAnotherBranchsCardIsNotThere() throws Exception {
		long branch = this.logins.branchOf("admin");
		Map<String, Object> card = this.jdbc.sql("""
				select id, surname || ' ' || name || coalesce(' ' || patronymic, '') as name from patient
				 where home_branch_id = :branch and erased_at is null and merged_into is null order by id limit 1
				""").param("branch", branch).query().singleRow();
		long other = this.jdbc.sql("""
				select p.id from patient p where p.home_branch_id <> :branch and p.erased_at is null
				   and not exists (select 1 from appointment a where a.patient_id = p.id and a.branch_id = :branch)
				 order by p.id limit 1
				""").param("branch", branch).query(Long.class).single();
		String html = this.mvc
			.perform(get("/scheduling/day").param("branch", String.valueOf(branch))
				.param("patient", card.get("id").toString())
				// A whole working day ahead: late in the evening today has no free time
				// left.
				.param("date",
						java.time.LocalDate.now(java.time.ZoneId.of("Europe/Moscow"))
							.with(java.time.temporal.TemporalAdjusters.next(java.time.DayOfWeek.TUESDAY))
							.toString())
				.with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("Запись пациента: " + card.get("name"));
		int free = html.split("class=\"free\"", -1).length - 1;
		int forPatient = html.split("&amp;patient=" + card.get("id") + "\"", -1).length - 1;
		assertThat(free).isPositive();
		// Every free time books the patient (the prev/next/today links carry them too).
		assertThat(forPatient).isGreaterThanOrEqualTo(free);
		String form = this.mvc
			.perform(get("/scheduling/book").param("branch", String.valueOf(branch))
				.param("staff",
						this.jdbc.sql("select min(staff_id) from staff_branch where branch_id = :b")
							.param("b", branch)
							.query(Long.class)
							.single()
							.toString())
				.param("start", "2030-01-10T07:00:00Z")
				.param("patient", card.get("id").toString())
				.with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(form).contains((String) card.get("name"));
		this.mvc
			.perform(get("/scheduling/day").param("branch", String.valueOf(branch))
				.param("patient", String.valueOf(other))
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
	}

}
