package dev.klinika.care;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A doctor's prescription at a visit: items of services or specialties with their
 * sessions, frequency and order, and a re-examination, refused whole with the line named
 * when anything is wrong; another branch's visit or pathway is not found; a consultant
 * does not prescribe.
 */
@KlinikaTest
class CareTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	Logins logins;

	OwnClinicAccess.Ids clinic;

	long visit;

	@BeforeEach
	void aVisit() {
		this.clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		long patient = this.jdbc.sql("select min(id) from patient where merged_into is null and erased_at is null")
			.query(Long.class)
			.single();
		this.visit = this.jdbc.sql("""
				insert into appointment (branch_id, staff_id, patient_id, service_id, during, status, created_by)
				values (:branch, :staff, :patient, :service,
				        tstzrange(now() - interval '2 hours', now() - interval '90 minutes', '[)'), 'COMPLETED', 'test')
				returning id
				""")
			.param("branch", this.clinic.branch())
			.param("staff", this.clinic.first())
			.param("patient", patient)
			.param("service", this.clinic.plainService())
			.query(Long.class)
			.single();
	}

	@Test
	void aDoctorPrescribesACourseInOneFormAndItBecomesAPathway() throws Exception {
		long specialty = this.jdbc.sql("select min(id) from organization_specialty_v").query(Long.class).single();
		String page = this.mvc.perform(get(form()).with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("Назначение").contains("Диагнозы и записи о болезни Klinika не хранит");
		String location = this.mvc
			.perform(prescribe("manager", List.of("s" + this.clinic.plainService(), "p" + specialty, ""),
					List.of("10", "5", ""), List.of("2", "1", "1"), List.of("", "1", ""))
				.param("reexam", String.valueOf(this.clinic.plainService())))
			.andExpect(redirectedUrlPattern("/care/pathways/*"))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		long pathway = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
		Map<String, Object> row = this.jdbc.sql("select * from care_pathway where id = :id")
			.param("id", pathway)
			.query()
			.singleRow();
		assertThat(row).containsEntry("appointment_id", this.visit)
			.containsEntry("branch_id", this.clinic.branch())
			.containsEntry("prescribed_by", this.clinic.first())
			.containsEntry("status", "PROPOSED")
			.containsEntry("reexam_service_id", this.clinic.plainService())
			.containsEntry("created_by", "manager");
		assertThat(this.jdbc
			.sql("""
					select position || ':' || coalesce('s' || service_id, 'p' || specialty_id) || ':' || sessions || 'x' || per_week
					       || ':' || coalesce(after_position::text, '-') from care_item where pathway_id = :id order by position
					""")
			.param("id", pathway)
			.query(String.class)
			.list()).containsExactly("1:s" + this.clinic.plainService() + ":10x2:-", "2:p" + specialty + ":5x1:1");
		String shown = this.mvc.perform(get(location).with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(shown).contains("Путь лечения №" + pathway).contains("Предложен").contains("Любой: ");
		// The card's timeline shows the prescription, linked to its pathway.
		String card = this.mvc.perform(get("/patients/" + row.get("patient_id")).with(this.logins.as("manager")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(card).contains("Назначен путь лечения (предложен)").contains("/care/pathways/" + pathway);
		assertThat(this.jdbc.sql("select count(*) from audit_log where action = 'PATHWAY_VIEWED' and record_id = :id")
			.param("id", String.valueOf(pathway))
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aWrongLineIsNamedAndNothingIsWritten() throws Exception {
		long inactive = this.jdbc.sql("insert into service (code, name, specialty_id, duration_minutes, active) "
				+ "select 'X' || left(gen_random_uuid()::text, 12), 'Снятая услуга', min(id), 30, false from specialty returning id")
			.query(Long.class)
			.single();
		int before = pathways();
		expectRefusal(List.of(""), List.of(""), List.of("1"), List.of(""), "Выберите хотя бы одну услугу");
		expectRefusal(List.of("s" + this.clinic.plainService(), "s" + this.clinic.plainService()), List.of("10", "0"),
				List.of("2", "1"), List.of("", ""), "Строка 2: сеансов — от 1 до 60");
		expectRefusal(List.of("s" + this.clinic.plainService()), List.of("999"), List.of("2"), List.of(""),
				"Строка 1: сеансов — от 1 до 60");
		expectRefusal(List.of("s" + this.clinic.plainService()), List.of("ten"), List.of("2"), List.of(""),
				"Строка 1: сеансов — от 1 до 60");
		expectRefusal(List.of("s" + this.clinic.plainService()), List.of("5"), List.of("9"), List.of(""),
				"Строка 1: раз в неделю — от 1 до 7");
		expectRefusal(List.of("s" + this.clinic.plainService(), "s" + this.clinic.plainService()), List.of("5", "5"),
				List.of("1", "1"), List.of("", "2"), "Строка 2: «после» — номер одной из строк выше");
		expectRefusal(List.of("s" + inactive), List.of("5"), List.of("1"), List.of(""),
				"Строка 1: эта услуга больше не оказывается");
		expectRefusal(List.of("x1; drop table care_item"), List.of("5"), List.of("1"), List.of(""),
				"Строка 1: выберите услугу или специалиста");
		assertThat(pathways()).isEqualTo(before);
	}

	@Test
	void anotherBranchsVisitOrPathwayIsNotFoundAndAConsultantDoesNotPrescribe() throws Exception {
		long elsewhere = this.jdbc
			.sql("""
					select min(a.id) from appointment a where a.status <> 'CANCELLED' and a.branch_id not in (
					  select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'doctor')
					""")
			.query(Long.class)
			.single();
		int before = pathways();
		this.mvc.perform(get("/care/visits/" + elsewhere + "/prescribe").with(this.logins.as("doctor")))
			.andExpect(status().isNotFound());
		this.mvc
			.perform(post("/care/visits/" + elsewhere + "/prescribe").with(this.logins.as("doctor"))
				.with(csrf())
				.param("what", "s" + this.clinic.plainService())
				.param("sessions", "5")
				.param("perWeek", "1")
				.param("after", ""))
			.andExpect(status().isNotFound());
		assertThat(pathways()).isEqualTo(before);
		this.mvc
			.perform(prescribe("consultant", List.of("s" + this.clinic.plainService()), List.of("5"), List.of("1"),
					List.of("")))
			.andExpect(status().isForbidden());
		assertThat(pathways()).isEqualTo(before);
		long theirs = this.jdbc.sql("""
				insert into care_pathway (patient_id, branch_id, appointment_id, prescribed_by, created_by)
				select patient_id, branch_id, id, staff_id, 'test' from appointment where id = :visit returning id
				""").param("visit", elsewhere).query(Long.class).single();
		this.mvc.perform(get("/care/pathways/" + theirs).with(this.logins.as("doctor")))
			.andExpect(status().isNotFound());
		long notAdmins = this.jdbc
			.sql("""
					select min(a.id) from appointment a where a.status <> 'CANCELLED' and a.branch_id not in (
					  select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin')
					""")
			.query(Long.class)
			.single();
		theirs = this.jdbc.sql("""
				insert into care_pathway (patient_id, branch_id, appointment_id, prescribed_by, created_by, status)
				select patient_id, branch_id, id, staff_id, 'test', 'ACCEPTED' from appointment where id = :visit
				returning id
				""").param("visit", notAdmins).query(Long.class).single();
		for (String action : List.of("abandon", "consultant")) {
			this.mvc
				.perform(post("/care/pathways/" + theirs + "/" + action).with(this.logins.as("admin"))
					.with(csrf())
					.param("reason", "Переехал")
					.param("consultant", "")
					.param("version", "0"))
				.andExpect(status().isNotFound());
		}
		assertThat(this.jdbc
			.sql("select status || ':' || version || ':' || coalesce(end_reason, '-') from care_pathway where id = :id")
			.param("id", theirs)
			.query(String.class)
			.single()).isEqualTo("ACCEPTED:0:-");
		assertThat(this.jdbc.sql("select count(*) from care_step where pathway_id = :id")
			.param("id", theirs)
			.query(Integer.class)
			.single()).isZero();
		this.mvc.perform(get("/care/pathways/" + theirs).with(this.logins.as("owner"))).andExpect(status().isOk());
	}

	@Test
	void thePatientAcceptsOrDeclinesWithAReasonOnceAndTwoAnswersAtOnceAreTold() throws Exception {
		long first = prescribed();
		long second = prescribed();
		String flash = "flashErrorKey";
		assertThat(decide(second, "decline", "", 0).getFlashMap().get(flash)).isEqualTo("care.refused.declineReason");
		assertThat(decide(second, "maybe", "", 0).getFlashMap().get(flash)).isEqualTo("care.refused.answer");
		assertThat(decide(second, "decline", "Дорого", 0).getFlashMap().get(flash)).isNull();
		assertThat(this.jdbc
			.sql("select status || ':' || decline_reason || ':' || version from care_pathway where id = :id")
			.param("id", second)
			.query(String.class)
			.single()).isEqualTo("DECLINED:Дорого:1");
		// Declined once, never again, nor accepted after.
		assertThat(decide(second, "accept", "", 1).getFlashMap().get(flash)).isEqualTo("care.refused.notProposed");
		assertThat(decide(first, "accept", "", 0).getFlashMap().get(flash)).isNull();
		// The page still showed version 0: the second answer is told, nothing changes.
		assertThat(decide(first, "decline", "Передумал", 0).getFlashMap().get(flash))
			.isEqualTo("care.refused.notProposed");
		assertThat(
				this.jdbc.sql("select status || ':' || coalesce(decline_reason, '-') from care_pathway where id = :id")
					.param("id", first)
					.query(String.class)
					.single())
			.isEqualTo("ACCEPTED:-");
		String page = this.mvc.perform(get("/care/pathways/" + second).with(this.logins.as("manager")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("Пациент отказался: Дорого").doesNotContain("id=\"decision\"");
		this.mvc
			.perform(post("/care/pathways/" + first + "/decision").with(this.logins.as("doctor"))
				.with(csrf())
				.param("answer", "accept"))
			.andExpect(status().isForbidden());
	}

	private org.springframework.test.web.servlet.MvcResult decide(long pathway, String answer, String reason,
			int version) throws Exception {
		return this.mvc
			.perform(post("/care/pathways/" + pathway + "/decision").with(this.logins.as("manager"))
				.with(csrf())
				.param("answer", answer)
				.param("reason", reason)
				.param("version", String.valueOf(version)))
			.andReturn();
	}

	@Autowired
	PathwayProgress progress;

	@Autowired
	PathwayList list;

	@Autowired
	org.springframework.transaction.support.TransactionTemplate transactions;

	@Test
	void theTabCountsFollowEveryChangeOfStatusBranchOrConsultantAndTwoFoldsAtOnceKeepThem() throws Exception {
		long pathway = prescribed();
		long consultant = this.jdbc.sql("select id from organization_staff_v where active order by id limit 1")
			.query(Long.class)
			.single();
		assertCountsAreTheTables(consultant);
		this.jdbc.sql("update care_pathway set consultant_id = :c, status = 'STALLED' where id = :id")
			.param("c", consultant)
			.param("id", pathway)
			.update();
		assertCountsAreTheTables(consultant);
		this.jdbc.sql("update care_pathway set status = 'IN_PROGRESS' where id = :id").param("id", pathway).update();
		// The same status written again appends nothing.
		int rows = this.jdbc.sql("select count(*) from care_queue_count").query(Integer.class).single();
		this.jdbc.sql("update care_pathway set status = 'IN_PROGRESS' where id = :id").param("id", pathway).update();
		assertThat(this.jdbc.sql("select count(*) from care_queue_count").query(Integer.class).single())
			.isEqualTo(rows);
		java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
		try {
			var folds = List.of(
					two.submit(() -> this.transactions.executeWithoutResult(s -> this.progress.foldCounts())),
					two.submit(() -> this.transactions.executeWithoutResult(s -> this.progress.foldCounts())));
			for (var fold : folds) {
				fold.get();
			}
		}
		finally {
			two.shutdown();
		}
		assertCountsAreTheTables(consultant);
		assertThat(this.jdbc.sql("""
				select count(*) = count(distinct (branch_id, coalesce(consultant_id, 0), status)) from care_queue_count
				""").query(Boolean.class).single()).as("one row per key once folded").isTrue();
	}

	private void assertCountsAreTheTables(long consultant) {
		for (Long who : java.util.Arrays.asList(null, consultant)) {
			java.util.Map<String, Integer> counted = new java.util.LinkedHashMap<>();
			PathwayList.ORDER.forEach(status -> counted.put(status, 0));
			this.jdbc.sql(
					"select status, count(*) from care_pathway where (cast(:who as bigint) is null or consultant_id = :who)"
							+ " group by status")
				.param("who", who)
				.query((rs, n) -> counted.put(rs.getString(1), rs.getInt(2)))
				.list();
			assertThat(this.list.counts(who, dev.klinika.security.BranchScope.everything())).as("consultant %s", who)
				.isEqualTo(counted);
		}
	}

	@Test
	void theReportCountersAreThePathwaysSummedAfterEveryKindOfChangeAndAfterAFold() throws Exception {
		long started = prescribed();
		long stopped = prescribed();
		long moved = prescribed();
		assertReportCountersAreTheTable();
		long first = session(1);
		assertThat(this.progress.attach(first)).contains(started);
		complete(first);
		this.progress.attended(first);
		assertReportCountersAreTheTable();
		// Abandoned after one attended session: the stop is taken when it is abandoned.
		this.jdbc.sql("update care_pathway set status = 'ABANDONED', ended_at = now() where id = :id")
			.param("id", started)
			.update();
		assertThat(this.jdbc.sql("select stop from care_pathway where id = :id")
			.param("id", started)
			.query(String.class)
			.single()).isEqualTo("AFTER_1");
		this.jdbc.sql(
				"update care_pathway set status = 'COMPLETED', ended_at = now(), estimate = estimate + 100 where id = :id")
			.param("id", stopped)
			.update();
		// A pathway prescribed at 21:30 UTC counts on the next day in Moscow, its
		// branch's.
		this.jdbc.sql("""
				update care_pathway set created_at = date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
				                        - interval '2 hours 30 minutes', category_id = null where id = :id
				""").param("id", moved).update();
		assertThat(this.jdbc.sql("""
				select created_day = (created_at at time zone 'Europe/Moscow')::date
				   and created_day = (created_at at time zone 'UTC')::date + 1 from care_pathway where id = :id
				""").param("id", moved).query(Boolean.class).single()).isTrue();
		assertReportCountersAreTheTable();
		this.transactions.executeWithoutResult(s -> this.progress.foldCounts());
		assertReportCountersAreTheTable();
		assertThat(this.jdbc.sql("""
				select count(*) = count(distinct (day, branch_id, coalesce(doctor_id, 0), coalesce(category_id, 0),
				                                  coalesce(stop, ''))) from care_report_count
				""").query(Boolean.class).single()).as("one row per key once folded").isTrue();
	}

	/**
	 * Every column of the report's counters, summed per key, against the pathways counted
	 * now; and the months' started and finished per day.
	 */
	private void assertReportCountersAreTheTable() {
		String keyed = "day, branch_id, coalesce(doctor_id, 0), coalesce(category_id, 0), coalesce(stop, '')";
		List<List<Object>> counted = this.jdbc
			.sql("""
					select created_day, branch_id, coalesce(prescribed_by, 0), coalesce(category_id, 0), coalesce(stop, ''),
					       count(*)::int, (count(*) filter (where accepted_at is not null))::int,
					       (count(*) filter (where status = 'DECLINED'))::int, (count(*) filter (where started_at is not null))::int,
					       (count(*) filter (where status = 'COMPLETED'))::int, (count(*) filter (where status = 'ABANDONED'))::int,
					       sum(estimate), coalesce(sum(estimate) filter (where accepted_at is not null), 0), sum(paid)
					  from care_pathway group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
					""")
			.query((rs, n) -> row(rs, 14))
			.list();
		List<List<Object>> summed = this.jdbc.sql("select " + keyed + """
				, sum(prescribed)::int, sum(accepted)::int, sum(declined)::int, sum(started)::int, sum(completed)::int,
				  sum(abandoned)::int, sum(proposed_value), sum(accepted_value), sum(paid)
				  from care_report_count group by 1, 2, 3, 4, 5
				having sum(prescribed) <> 0 or sum(proposed_value) <> 0 or sum(paid) <> 0 order by 1, 2, 3, 4, 5
				""").query((rs, n) -> row(rs, 14)).list();
		assertThat(summed).isEqualTo(counted);
		List<List<Object>> months = this.jdbc
			.sql("""
					select day, branch_id, sum(started)::int, sum(finished)::int from (
					  select started_day as day, branch_id, 1 as started, 0 as finished from care_pathway where started_at is not null
					  union all
					  select ended_day, branch_id, 0, 1 from care_pathway where status = 'COMPLETED') m
					 group by 1, 2 order by 1, 2
					""")
			.query((rs, n) -> row(rs, 4))
			.list();
		assertThat(this.jdbc.sql("""
				select day, branch_id, sum(started)::int, sum(finished)::int from care_month_count
				 group by 1, 2 having sum(started) <> 0 or sum(finished) <> 0 order by 1, 2
				""").query((rs, n) -> row(rs, 4)).list()).isEqualTo(months);
	}

	private static List<Object> row(java.sql.ResultSet rs, int columns) throws java.sql.SQLException {
		List<Object> row = new java.util.ArrayList<>();
		for (int i = 1; i <= columns; i++) {
			Object value = rs.getObject(i);
			row.add(value instanceof java.math.BigDecimal amount ? amount.stripTrailingZeros() : value);
		}
		return row;
	}

	@Test
	void bookedSessionsAttachAndMoveThePathwayToCompletionAndAWaitTooLongStallsItOnce() throws Exception {
		long pathway = prescribed();
		long first = session(1);
		long second = session(2);
		long third = session(3);
		assertThat(this.progress.attach(first)).contains(pathway);
		// Attached once: a second delivery of the booking changes nothing.
		assertThat(this.progress.attach(first)).isEmpty();
		assertThat(this.progress.attach(second)).contains(pathway);
		assertThat(statusOf(pathway)).isEqualTo("ACCEPTED");
		complete(first);
		this.progress.attended(first);
		assertThat(statusOf(pathway)).isEqualTo("IN_PROGRESS");
		String page = this.mvc.perform(get("/care/pathways/" + pathway).with(this.logins.as("manager")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("1 из 5 сеансов").contains("Записать 3").contains("id=\"book-all\"");
		// Nothing booked ahead past the stall days: stalled once, then resumed by a
		// booking.
		this.jdbc.sql("update appointment set status = 'CANCELLED' where id = :id").param("id", second).update();
		this.jdbc.sql("update care_pathway set created_at = now() - interval '30 days' where id = :id")
			.param("id", pathway)
			.update();
		this.jdbc.sql("update care_session set attached_at = now() - interval '30 days' where pathway_id = :id")
			.param("id", pathway)
			.update();
		this.jdbc.sql(
				"update appointment set during = tstzrange(now() - interval '20 days', now() - interval '20 days' + interval '30 minutes', '[)') where id = :id")
			.param("id", first)
			.update();
		this.progress.stalls();
		assertThat(statusOf(pathway)).isEqualTo("STALLED");
		this.progress.stalls();
		assertThat(this.jdbc.sql("select stalls from care_pathway where id = :id")
			.param("id", pathway)
			.query(Integer.class)
			.single()).isEqualTo(1);
		assertThat(this.progress.attach(third)).contains(pathway);
		assertThat(statusOf(pathway)).isEqualTo("IN_PROGRESS");
		assertThat(this.jdbc.sql("select string_agg(kind, ',' order by id) from care_step where pathway_id = :id")
			.param("id", pathway)
			.query(String.class)
			.single()).isEqualTo("PRESCRIBED,BOOKED,ACCEPTED,BOOKED,ATTENDED,STALLED,BOOKED,RESUMED");
	}

	@Test
	void theCardShowsEachPathwayAsALineOfStepsWithWhatComesNextAndNotAnotherBranchs() throws Exception {
		long pathway = prescribed();
		long first = session(1);
		this.progress.attach(first);
		this.progress.attach(session(2));
		complete(first);
		this.progress.attended(first);
		long patient = this.jdbc.sql("select patient_id from care_pathway where id = :id")
			.param("id", pathway)
			.query(Long.class)
			.single();
		String card = this.mvc.perform(get("/patients/" + patient).with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		int start = card.indexOf("data-pathway=\"" + pathway + "\"");
		assertThat(start).as("the pathway is on the card").isPositive();
		String line = card.substring(start, card.indexOf("</article>", start));
		assertThat(line).contains("Идёт");
		assertThat(stepOf(line, "PRESCRIBED")).contains("step-done").contains("Назначено");
		assertThat(stepOf(line, "ACCEPTED")).contains("step-done").contains("Согласие");
		assertThat(stepOf(line, "BOOKED")).contains("step-current").contains("Записан: 2 из 5");
		assertThat(stepOf(line, "ATTENDED")).contains("step-current").contains("Пришёл: 1 из 5");
		assertThat(stepOf(line, "END")).contains("step-todo");
		assertThat(line).contains("Следующий шаг").contains("осталось 4 из 5");
		String elsewhere = this.mvc.perform(get("/patients/" + patient).with(this.logins.as("admin")))
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(elsewhere).doesNotContain("data-pathway=\"" + pathway + "\"");
	}

	@Test
	void theConsultantsListPutsStalledFirstAndMessagesThePatientOnceADay() throws Exception {
		long proposed = prescribed();
		long stalled = prescribed();
		long consultant = this.clinic.first();
		this.jdbc.sql("""
				update care_pathway set consultant_id = :staff,
				       status = case when id = :stalled then 'STALLED' else status end where id in (:ids)
				""")
			.param("staff", consultant)
			.param("stalled", stalled)
			.param("ids", List.of(proposed, stalled))
			.update();
		String page = this.mvc
			.perform(get("/care/pathways").param("who", String.valueOf(consultant)).with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		int first = page.indexOf("data-pathway=\"" + stalled + "\"");
		int second = page.indexOf("data-pathway=\"" + proposed + "\"");
		assertThat(first).as("the stalled pathway is listed").isPositive();
		assertThat(second).as("stalled before proposed").isGreaterThan(first);
		assertThat(page).contains("Открытые 2").contains("0 / 5");
		String tab = page.substring(page.indexOf("data-status=\"STALLED\""));
		assertThat(tab.substring(0, tab.indexOf("</a>"))).as("the stalled tab's count")
			.contains("<span class=\"count\">1</span>");
		String stalledTab = this.mvc
			.perform(get("/care/pathways").param("who", String.valueOf(consultant))
				.param("status", "STALLED")
				.with(this.logins.as("manager")))
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(stalledTab).contains("data-pathway=\"" + stalled + "\"")
			.doesNotContain("data-pathway=\"" + proposed + "\"");
		this.mvc
			.perform(post("/care/pathways/" + stalled + "/message").with(this.logins.as("manager"))
				.with(csrf())
				.param("back", "list"))
			.andExpect(redirectedUrl("/care/pathways"))
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
				.attribute("flashKey", "flash.care.messaged"));
		this.mvc.perform(post("/care/pathways/" + stalled + "/message").with(this.logins.as("manager")).with(csrf()))
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
				.attribute("flashErrorKey", "care.refused.messagedToday"));
		long step = this.jdbc.sql("select id from care_step where pathway_id = :id and kind = 'MESSAGED'")
			.param("id", stalled)
			.query(Long.class)
			.single();
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(20))
			.until(() -> this.jdbc.sql("select count(*) from outbox_message where idempotency_key = :key")
				.param("key", "pathway:" + stalled + ":message:" + step)
				.query(Integer.class)
				.single() == 1);
		assertThat(this.jdbc.sql("select event || ':' || body from outbox_message where idempotency_key = :key")
			.param("key", "pathway:" + stalled + ":message:" + step)
			.query(String.class)
			.single()).startsWith("PATHWAY_NEXT:").contains("осталось 5 из 5");
		assertThat(this.jdbc.sql("select count(*) from outbox_message where idempotency_key like :key")
			.param("key", "pathway:" + stalled + ":message:%")
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void theWaitsAreSavedWholeOrRefusedWithTheRowNamed() throws Exception {
		long category = this.jdbc.sql("select min(id) from catalog_category_v where active").query(Long.class).single();
		String before = waits();
		String refused = this.mvc
			.perform(post("/care/settings").with(this.logins.as("manager"))
				.with(csrf())
				.param("category", "", String.valueOf(category))
				.param("stall", "10", "30")
				.param("abandon", "90", "20"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(refused).contains("Строка 2: «брошен» не раньше, чем «застревает».");
		assertThat(waits()).isEqualTo(before);
		this.mvc
			.perform(post("/care/settings").with(this.logins.as("manager"))
				.with(csrf())
				.param("category", "", String.valueOf(category))
				.param("stall", "abc", "")
				.param("abandon", "60", ""))
			.andExpect(status().isOk());
		assertThat(waits()).isEqualTo(before);
		this.mvc
			.perform(post("/care/settings").with(this.logins.as("admin"))
				.with(csrf())
				.param("category", "")
				.param("stall", "1")
				.param("abandon", "2"))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(post("/care/settings").with(this.logins.as("manager"))
				.with(csrf())
				.param("category", "", String.valueOf(category))
				.param("stall", "7", "30")
				.param("abandon", "60", "120"))
			.andExpect(redirectedUrl("/care/settings"));
		assertThat(waits()).contains("-:7:60").contains(category + ":30:120");
		this.mvc
			.perform(post("/care/settings").with(this.logins.as("manager"))
				.with(csrf())
				.param("category", "", String.valueOf(category))
				.param("stall", "7", "")
				.param("abandon", "60", ""))
			.andExpect(redirectedUrl("/care/settings"));
		assertThat(waits()).isEqualTo("-:7:60");
	}

	@Test
	void theLastSessionCompletesThePathwayThroughTheVisitsOwnEventsAndAsksForTheReexamination() throws Exception {
		String location = this.mvc
			.perform(prescribe("manager", List.of("s" + this.clinic.plainService()), List.of("2"), List.of("2"),
					List.of(""))
				.param("reexam", String.valueOf(this.clinic.roomService())))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		long pathway = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
		long first = pastSession(80);
		long second = pastSession(40);
		assertThat(this.progress.attach(first)).contains(pathway);
		assertThat(this.progress.attach(second)).contains(pathway);
		// The desk checks the patient in and completes each visit: the visits' own events
		// move the pathway.
		int visits = 0;
		for (long session : List.of(first, second)) {
			for (String to : List.of("CHECKED_IN", "COMPLETED")) {
				this.mvc
					.perform(post("/scheduling/appointments/" + session + "/status").with(this.logins.as("manager"))
						.with(csrf())
						.param("to", to))
					.andExpect(status().is3xxRedirection());
			}
			// One visit after the other, as at the desk (the events are handled apart).
			int seen = ++visits;
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(20))
				.until(() -> this.jdbc
					.sql("select count(*) from care_step where pathway_id = :id and kind = 'ATTENDED'")
					.param("id", pathway)
					.query(Integer.class)
					.single() == seen);
		}
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(20))
			.until(() -> "COMPLETED".equals(statusOf(pathway)));
		assertThat(this.jdbc.sql("select string_agg(kind, ',' order by id) from care_step where pathway_id = :id")
			.param("id", pathway)
			.query(String.class)
			.single()).isEqualTo("PRESCRIBED,BOOKED,ACCEPTED,BOOKED,ATTENDED,ATTENDED,COURSE_DONE,COMPLETED");
		assertThat(
				this.jdbc.sql("select started_at is not null and ended_at is not null from care_pathway where id = :id")
					.param("id", pathway)
					.query(Boolean.class)
					.single())
			.isTrue();
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> this.jdbc.sql("""
				select count(*) from tasks_task_v where cause_type = 'pathway' and cause_id = :id
				   and title like 'Курс пройден%'
				""").param("id", pathway).query(Integer.class).single() == 1);
	}

	@Autowired
	dev.klinika.patients.PatientMerge merge;

	@Test
	void aPathwayFollowsItsCardIntoTheCardThatStays() throws Exception {
		// Two cards of one person, made for this test: the pathway is on the one merged
		// away.
		long merged = card("Слиянова", "Вера");
		long survivor = card("Слиянова", "Вера Павловна");
		this.jdbc.sql("update appointment set patient_id = :patient where id = :id")
			.param("patient", merged)
			.param("id", this.visit)
			.update();
		long pathway = prescribed();
		this.mvc
			.perform(post("/patients/merge").with(csrf())
				.with(this.logins.as("owner"))
				.param("a", String.valueOf(survivor))
				.param("b", String.valueOf(merged))
				.param("survivor", String.valueOf(survivor)))
			.andExpect(redirectedUrl("/patients/" + survivor));
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(20))
			.until(() -> this.jdbc.sql("select patient_id from care_pathway where id = :id")
				.param("id", pathway)
				.query(Long.class)
				.single() == survivor);
		String card = this.mvc.perform(get("/patients/" + survivor).with(this.logins.as("owner")))
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(card).contains("data-pathway=\"" + pathway + "\"");
	}

	private long card(String surname, String name) {
		return this.jdbc.sql("""
				insert into patient (surname, name, sex, home_branch_id, created_by)
				values (:surname, :name, 'F', :branch, 'test') returning id
				""")
			.param("surname", surname)
			.param("name", name)
			.param("branch", this.clinic.branch())
			.query(Long.class)
			.single();
	}

	/**
	 * A visit of the prescribed service that began {@code minutesAgo} and lasts 30
	 * minutes, booked.
	 */
	private long pastSession(int minutesAgo) {
		return this.jdbc
			.sql("""
					insert into appointment (branch_id, staff_id, patient_id, service_id, during, status, created_by)
					select branch_id, staff_id, patient_id, service_id,
					       tstzrange(now() - make_interval(mins => :ago), now() - make_interval(mins => :ago) + interval '30 minutes', '[)'),
					       'BOOKED', 'test' from appointment where id = :visit returning id
					""")
			.param("ago", minutesAgo)
			.param("visit", this.visit)
			.query(Long.class)
			.single();
	}

	@Autowired
	PathwayReport report;

	@Autowired
	PathwayPaid paid;

	@Test
	void theReportCountsThePeriodsPathwaysWhereAbandonedOnesStoppedTheirValueAndFinishedMinusStarted()
			throws Exception {
		this.jdbc.sql("insert into service_price (service_id, valid_from, price) values (:id, '2020-01-01', 1500)")
			.param("id", this.clinic.plainService())
			.update();
		this.jdbc.sql("""
				insert into cash_shift (branch_id, currency, opened_by, opened_at, opening_balance)
				values (:branch, 'RUB', 'owner', now(), 0)
				""").param("branch", this.clinic.branch()).update();
		// The oldest open pathway takes the booking: the started one is prescribed first.
		long started = prescribed();
		long first = session(1);
		assertThat(this.progress.attach(first)).contains(started);
		complete(first);
		this.progress.attended(first);
		long proposed = prescribed();
		long declined = prescribed();
		decide(declined, "decline", "Дорого", 0);
		long stopped = prescribed();
		decide(stopped, "accept", "", 0);
		this.mvc
			.perform(post("/care/pathways/" + stopped + "/abandon").with(this.logins.as("manager"))
				.with(csrf())
				.param("reason", "Переехал")
				.param("version", "1"))
			.andExpect(status().is3xxRedirection());
		assertThat(List.of(statusOf(started), statusOf(proposed), statusOf(declined), statusOf(stopped)))
			.isEqualTo(List.of("IN_PROGRESS", "PROPOSED", "DECLINED", "ABANDONED"));
		// The started pathway's session is billed and paid by card: 1 500 of it is paid.
		String bill = this.mvc.perform(post("/billing/visits/" + first).with(this.logins.as("owner")).with(csrf()))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		assertThat(bill).startsWith("/billing/bills/");
		this.mvc.perform(post(bill + "/pay").with(this.logins.as("owner")).with(csrf()).param("card", "1500"))
			.andExpect(status().is3xxRedirection());
		// Billing's event reaches the pathway after the payment's transaction.
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(20))
			.until(() -> this.jdbc.sql("select paid from care_pathway where id = :id")
				.param("id", started)
				.query(java.math.BigDecimal.class)
				.single()
				.signum() > 0);
		java.time.ZoneId zone = java.time.ZoneId.of("Europe/Moscow");
		java.time.LocalDate today = java.time.LocalDate.now(zone);
		var shown = this.report.report(today.minusDays(1), today, zone, PathwayReport.By.BRANCH,
				new dev.klinika.security.BranchScope(false, java.util.Set.of(this.clinic.branch())));
		assertThat(shown.groups()).hasSize(1);
		PathwayReport.Group row = shown.groups().get(0);
		assertThat(row.key()).isEqualTo(this.clinic.branch());
		// Four prescribed: one started (accepted by its booking), one still proposed, one
		// declined, one accepted and then stopped before any booking.
		assertThat(List.of(row.prescribed(), row.accepted(), row.declined(), row.started(), row.completed(),
				row.abandoned()))
			.as("prescribed, accepted, declined, started, completed, abandoned")
			.isEqualTo(List.of(4, 2, 1, 1, 0, 1));
		assertThat(row.patients()).isEqualTo(1);
		// The patient's visits of the period: the one prescribed at and the attended one.
		assertThat(row.received()).isEqualTo(1);
		assertThat(row.patientsShare()).isEqualTo(100);
		assertThat(row.proposedValue()).isEqualTo(dev.klinika.shared.Money.rub("30000.00"));
		assertThat(row.acceptedValue()).isEqualTo(dev.klinika.shared.Money.rub("15000.00"));
		assertThat(row.paid()).isEqualTo(dev.klinika.shared.Money.rub("1500.00"));
		// Billing's event delivered again, or late: the pathway's money is taken again
		// from the bill, not added twice.
		long billId = Long.parseLong(bill.substring("/billing/bills/".length()));
		this.paid.bill(billId);
		this.paid.bill(billId);
		assertThat(this.jdbc.sql("select paid from care_pathway where id = :id")
			.param("id", started)
			.query(java.math.BigDecimal.class)
			.single()).isEqualByComparingTo("1500");
		assertThat(this.jdbc.sql("select count(*) from care_paid where bill_id = :bill")
			.param("bill", billId)
			.query(Integer.class)
			.single()).isEqualTo(1);
		assertThat(shown.total().prescribed()).isEqualTo(4);
		assertThat(shown.stops()).containsEntry("NOT_BOOKED", 1).containsEntry("AFTER_1", 0);
		// Abandoned after its first session: the funnel names the step.
		this.jdbc.sql("update care_pathway set status = 'ABANDONED', ended_at = now() where id = :id")
			.param("id", started)
			.update();
		var later = this.report.report(today.minusDays(1), today, zone, PathwayReport.By.BRANCH,
				new dev.klinika.security.BranchScope(false, java.util.Set.of(this.clinic.branch())));
		assertThat(later.stops()).containsEntry("AFTER_1", 1).containsEntry("NOT_BOOKED", 1);
		var month = later.months().get(later.months().size() - 1);
		assertThat(month.month()).isEqualTo(java.time.YearMonth.from(today));
		assertThat(List.of(month.started(), month.finished(), month.net())).isEqualTo(List.of(1, 0, -1));
		// The page and its file, for a manager; an admin has no report.
		String page = this.mvc.perform(get("/care/report").param("by", "CATEGORY").with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(page).contains("Категория услуг").contains("id=\"chart-funnel\"").contains("Итого");
		String csv = this.mvc
			.perform(get("/care/report/download").param("format", "csv").with(this.logins.as("manager")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(csv).contains("Филиал;Назначено;Согласились").contains("Итого;");
		this.mvc.perform(get("/care/report").with(this.logins.as("admin"))).andExpect(status().isForbidden());
	}

	private String waits() {
		return this.jdbc.sql("""
				select string_agg(coalesce(category_id::text, '-') || ':' || stall_days || ':' || abandon_days, ','
				                  order by category_id nulls first) from care_setting
				""").query(String.class).single();
	}

	/** The step of the card's line of this kind, as drawn. */
	private static String stepOf(String line, String kind) {
		int at = line.indexOf("data-kind=\"" + kind + "\"");
		assertThat(at).as(kind).isPositive();
		int open = line.lastIndexOf("<li", at);
		return line.substring(open, line.indexOf("</li>", at));
	}

	private long session(int day) {
		return this.jdbc
			.sql("""
					insert into appointment (branch_id, staff_id, patient_id, service_id, during, status, created_by)
					select branch_id, staff_id, patient_id, service_id,
					       tstzrange(now() + make_interval(days => :day), now() + make_interval(days => :day) + interval '30 minutes', '[)'),
					       'BOOKED', 'test' from appointment where id = :visit returning id
					""")
			.param("day", day)
			.param("visit", this.visit)
			.query(Long.class)
			.single();
	}

	private void complete(long appointment) {
		this.jdbc.sql("update appointment set status = 'COMPLETED' where id = :id").param("id", appointment).update();
	}

	private String statusOf(long pathway) {
		return this.jdbc.sql("select status from care_pathway where id = :id")
			.param("id", pathway)
			.query(String.class)
			.single();
	}

	private long prescribed() throws Exception {
		String location = this.mvc
			.perform(prescribe("manager", List.of("s" + this.clinic.plainService()), List.of("5"), List.of("2"),
					List.of("")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
	}

	private void expectRefusal(List<String> what, List<String> sessions, List<String> perWeek, List<String> after,
			String message) throws Exception {
		String page = this.mvc.perform(prescribe("manager", what, sessions, perWeek, after))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(page).as(message).contains(message);
	}

	private MockHttpServletRequestBuilder prescribe(String login, List<String> what, List<String> sessions,
			List<String> perWeek, List<String> after) {
		return post(form()).with(this.logins.as(login))
			.with(csrf())
			.param("what", what.toArray(String[]::new))
			.param("sessions", sessions.toArray(String[]::new))
			.param("perWeek", perWeek.toArray(String[]::new))
			.param("after", after.toArray(String[]::new));
	}

	private String form() {
		return "/care/visits/" + this.visit + "/prescribe";
	}

	private int pathways() {
		return this.jdbc.sql("select count(*) from care_pathway").query(Integer.class).single();
	}

}
