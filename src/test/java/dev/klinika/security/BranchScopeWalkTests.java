package dev.klinika.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.WriteRecorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * Every mapping of the application (read from its own handler mappings, so a new one is
 * walked too), called by a login of one branch with the ids of another branch's records
 * in the URL, the form and the JSON body: a record named in the URL is not there (404, or
 * 403 where the role may not call it at all), nothing is written to the database, nothing
 * answers 5xx, and no page shows the other branch's patient.
 */
@KlinikaTest
class BranchScopeWalkTests {

	/** Mappings whose ids name no branch-owned record, or that have no login at all. */
	static final List<String> NOT_BRANCH_OWNED = List.of("/catalog/", "/organization/specialties/",
			"/patients/sources/", "/security/users/", "/leads/settings/", "/messaging/templates/",
			"/messaging/settings/", "/billing/settings/", "/tasks/rules/", "/patients/import/", "/book/", "/m/",
			"/calendar/", "/api/public/", "/api/hooks/", "/error");

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WriteRecorder recorder;

	@Autowired
	dev.klinika.tasks.Tasks tasks;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	long mine;

	long other;

	/** Path prefix (with {id}) → another branch's record of that kind. */
	final Map<String, Long> records = new LinkedHashMap<>();

	long patient;

	String patientName;

	@BeforeEach
	void otherBranchsRecords() {
		this.mine = this.logins.branchOf("admin");
		// A branch neither walking login works in.
		this.other = one("""
				select min(id) from branch where id not in (select ub.branch_id from user_branch ub
				  join app_user u on u.id = ub.user_id where u.username in ('admin', 'consultant'))
				""");
		// A patient of the other branch with no visit here (a visit here would open the
		// card), and no lead or task here (those name them to this branch, rightly: they
		// called or wrote here).
		this.patient = one(
				"""
						select min(p.id) from patient p where p.home_branch_id = :other and p.merged_into is null and p.erased_at is null
						   and not exists (select 1 from appointment a where a.patient_id = p.id and a.branch_id in (select ub.branch_id
						      from user_branch ub join app_user u on u.id = ub.user_id where u.username in ('admin', 'consultant')))
						   and not exists (select 1 from task t where t.patient_id = p.id and t.branch_id <> :other)
						   and not exists (select 1 from lead l where l.patient_id = p.id and l.branch_id <> :other)
						   and exists (select 1 from outbox_message m where m.patient_id = p.id)
						""");
		this.patientName = this.jdbc.sql("select surname || ' ' || name from patient where id = :id")
			.param("id", this.patient)
			.query(String.class)
			.single();
		this.records.put("/patients/{id}", this.patient);
		this.records.put("/messaging/patients/{id}", this.patient);
		this.records.put("/telephony/calls/{id}", one("select min(id) from call where branch_id = :other"));
		this.records.put("/messaging/inbox/{id}",
				one("""
						select coalesce(min(m.id), -1) from inbound_message m join patient p on p.id = m.patient_id
						 where p.home_branch_id = :other
						   and not exists (select 1 from appointment a where a.patient_id = p.id and a.branch_id in (select ub.branch_id
						        from user_branch ub join app_user u on u.id = ub.user_id where u.username in ('admin', 'consultant')))
						"""));
		this.records.put("/messaging/{id}",
				one("select min(id) from outbox_message where patient_id = " + this.patient));
		if (one("select count(*) from task where branch_id = :other") == 0) {
			this.tasks.create(new dev.klinika.tasks.Tasks.NewTask("Перезвонить", dev.klinika.tasks.TaskKind.CALL_BACK,
					this.patient, this.other, null, Role.ADMIN, java.time.Instant.now().plusSeconds(3600),
					dev.klinika.tasks.TaskPriority.NORMAL, null, null, null, null, null));
		}
		this.records.put("/tasks/{id}", one("select min(id) from task where branch_id = :other"));
		this.records.put("/leads/{id}", one("select min(id) from lead where branch_id = :other"));
		long appointment = one("select min(id) from appointment where branch_id = :other");
		this.records.put("/scheduling/appointments/{id}", appointment);
		this.records.put("/scheduling/api/appointments/{id}", appointment);
		this.records.put("/scheduling/waiting/offers/{id}", one("""
				select coalesce(min(o.id), -1) from waiting_offer o join waiting_entry e on e.id = o.entry_id
				 where e.branch_id = :other
				"""));
		this.records.put("/scheduling/waiting/{id}",
				one("select coalesce(min(id), -1) from waiting_entry where branch_id = :other"));
		long staff = one("""
				select min(staff_id) from staff_branch where branch_id = :other
				   and staff_id not in (select staff_id from staff_branch where branch_id = :mine)
				""");
		this.records.put("/scheduling/staff/{id}", staff);
		this.records.put("/scheduling/calendars/{staffId}", staff);
		this.records.put("/organization/staff/{id}", staff);
		this.records.put("/organization/branches/{id}", this.other);
		this.records.put("/organization/rooms/{roomId}", one("select min(id) from room where branch_id = :other"));
		this.records.put("/billing/patients/{id}", this.patient);
		this.records.put("/billing/visits/{id}", appointment);
		if (one("select count(*) from bill where branch_id = :other") == 0) {
			this.jdbc
				.sql("""
						insert into bill (branch_id, patient_id, currency, created_by) values (:other, :patient, 'RUB', 'test')
						""")
				.param("other", this.other)
				.param("patient", this.patient)
				.update();
		}
		this.records.put("/billing/bills/{id}", one("select min(id) from bill where branch_id = :other"));
		if (one("select count(*) from cash_shift where branch_id = :other") == 0) {
			this.jdbc.sql("""
					insert into cash_shift (branch_id, currency, opened_by, opened_at, opening_balance)
					values (:other, 'RUB', 'test', now(), 0)
					""").param("other", this.other).update();
		}
		this.records.put("/billing/cash/shifts/{id}", one("select min(id) from cash_shift where branch_id = :other"));
		if (one("select count(*) from patient_package where branch_id = :other") == 0) {
			this.jdbc.sql("""
					insert into package_product (name, kind, service_id, visits, price, validity_days, validity_from)
					select 'Обход ' || gen_random_uuid(), 'VISITS', min(id), 5, 5000, 90, 'SALE' from service
					""").update();
			this.jdbc
				.sql("""
						with line as (
						  insert into bill_line (bill_id, position, kind, package_product_id, name, quantity, unit_price, amount)
						  select b.id, 1000, 'PACKAGE', (select max(id) from package_product), 'Обход', 1, 5000, 5000
						    from bill b where b.id = (select min(id) from bill where branch_id = :other) returning id, bill_id)
						insert into patient_package (product_id, patient_id, branch_id, bill_id, bill_line_id, name, kind, service_id,
						                             units, price, currency, validity_days, validity_from, freeze_days, shareable,
						                             sold_at, created_by)
						select (select max(id) from package_product), b.patient_id, b.branch_id, b.id, line.id, 'Обход', 'VISITS',
						       (select min(id) from service), 5, 5000, 'RUB', 90, 'SALE', 14, false, now(), 'test'
						  from line join bill b on b.id = line.bill_id
						""")
				.param("other", this.other)
				.update();
		}
		this.records.put("/billing/packages/{id}", one("select min(id) from patient_package where branch_id = :other"));
		// A prescription at the other branch's visit, and the visit to prescribe at.
		this.records.put("/care/visits/{id}/prescribe", appointment);
		if (one("select count(*) from care_pathway where branch_id = :other") == 0) {
			this.jdbc.sql("""
					insert into care_pathway (patient_id, branch_id, appointment_id, prescribed_by, created_by)
					select patient_id, branch_id, id, staff_id, 'test' from appointment where id = :visit
					""").param("visit", appointment).update();
		}
		this.records.put("/care/pathways/{id}", one("select min(id) from care_pathway where branch_id = :other"));
	}

	@Test
	void reachesNoOtherBranchsRecordThroughAnyMapping() throws Exception {
		List<String> faults = new ArrayList<>();
		int walked = 0;
		for (var entry : this.mappings.getHandlerMethods().entrySet()) {
			RequestMappingInfo info = entry.getKey();
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			for (String pattern : info.getPatternValues()) {
				if (NOT_BRANCH_OWNED.stream().anyMatch(pattern::startsWith)) {
					continue;
				}
				for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
					for (String login : List.of("admin", "consultant")) {
						walked++;
						walk(login, method, pattern, info, faults);
					}
				}
			}
		}
		assertThat(walked).as("mappings walked").isGreaterThan(100);
		assertThat(faults).isEmpty();
	}

	private void walk(String login, RequestMethod method, String pattern, RequestMappingInfo info, List<String> faults)
			throws Exception {
		String url = url(pattern);
		if (url == null) {
			faults.add(pattern + ": names a record the walk does not know; add it above or to NOT_BRANCH_OWNED");
			return;
		}
		boolean named = pattern.contains("{");
		MockHttpServletRequestBuilder call = request(org.springframework.http.HttpMethod.valueOf(method.name()), url)
			.with(this.logins.as(login))
			.with(csrf());
		boolean json = info.getConsumesCondition()
			.getConsumableMediaTypes()
			.stream()
			.anyMatch(MediaType.APPLICATION_JSON::isCompatibleWith) || pattern.startsWith("/scheduling/api");
		if (json) {
			call.contentType(MediaType.APPLICATION_JSON).content("""
					{"patient": %d, "branch": %d, "branchId": %d, "staff": %d, "start": "2030-01-10T10:00:00+03:00",
					 "service": 1, "stage": "BOOKED", "version": 0}
					""".formatted(this.patient, this.other, this.other, this.records.get("/scheduling/staff/{id}")));
		}
		else {
			for (String name : List.of("patient", "patientId", "relativeId")) {
				call.param(name, String.valueOf(this.patient));
			}
			for (String name : List.of("branch", "branchId", "branchIds", "homeBranchId")) {
				call.param(name, String.valueOf(this.other));
			}
			call.param("staff", String.valueOf(this.records.get("/scheduling/staff/{id}")));
			call.param("appointment", String.valueOf(this.records.get("/scheduling/appointments/{id}")));
			call.param("call", String.valueOf(this.records.get("/telephony/calls/{id}")));
			call.param("lead", String.valueOf(this.records.get("/leads/{id}")));
			// What the forms need besides ids, so that a refusal is about the record, not
			// a
			// missing field.
			call.param("version", "0")
				.param("outcome", "OTHER")
				.param("status", "CONFIRMED")
				.param("stage", "IN_PROGRESS")
				.param("reason", "1")
				.param("text", "x")
				.param("comment", "x")
				.param("title", "x")
				.param("kind", "CALL_BACK")
				.param("scope", "ALL")
				.param("due", "2030-01-10T10:00")
				.param("until", "2030-01-10T10:00")
				.param("start", "2030-01-10T07:00:00Z")
				.param("owner", "role:ADMIN")
				.param("user", "")
				.param("to", "CONFIRMED")
				.param("date", "2030-01-10")
				.param("time", "10:00");
		}
		int[] status = new int[1];
		String[] body = new String[1];
		List<String> writes = this.recorder.writesOf(() -> {
			var response = this.mvc.perform(call).andReturn().getResponse();
			status[0] = response.getStatus();
			body[0] = response.getContentAsString();
		});
		String where = login + " " + method + " " + url;
		if (status[0] >= 500) {
			faults.add(where + ": answered " + status[0]);
		}
		if (named && status[0] != 404 && status[0] != 403) {
			faults.add(where + ": another branch's record answered " + status[0] + ", not 404");
		}
		if (!writes.isEmpty()) {
			faults.add(where + ": wrote " + writes);
		}
		if (body[0].contains(this.patientName)) {
			faults.add(where + ": shows the other branch's patient " + this.patientName);
		}
	}

	/**
	 * The pattern with another branch's ids put in, or null when its record is unknown.
	 */
	private String url(String pattern) {
		if (!pattern.contains("{")) {
			return pattern;
		}
		for (var record : this.records.entrySet()) {
			String prefix = record.getKey();
			if (pattern.startsWith(prefix)) {
				String rest = pattern.substring(prefix.length()).replaceAll("\\{[^}]+}", "1");
				return prefix.replaceAll("\\{[^}]+}", String.valueOf(record.getValue())) + rest;
			}
		}
		return null;
	}

	private long one(String sql) {
		Matcher named = Pattern.compile(":(mine|other)").matcher(sql);
		var spec = this.jdbc.sql(sql);
		while (named.find()) {
			spec = spec.param(named.group(1), "mine".equals(named.group(1)) ? this.mine : this.other);
		}
		Long id = spec.query(Long.class).single();
		assertThat(id).as(sql).isNotNull();
		return id;
	}

}
