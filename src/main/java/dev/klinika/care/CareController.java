package dev.klinika.care;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.klinika.catalog.CatalogQueries;
import dev.klinika.patients.PatientSearch;
import dev.klinika.security.AuditLog;
import dev.klinika.security.ScopedRecords;

/**
 * The doctor's prescription at a visit (one short form: the items, their sessions, how
 * often, which comes after which, a re-examination) and the pathway's page.
 */
@Controller
class CareController {

	/** Empty item rows the form offers. */
	static final int ROWS = 5;

	private final Pathways pathways;

	private final CatalogQueries catalog;

	private final PatientSearch patients;

	private final ScopedRecords scoped;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final java.time.Clock clock;

	private final PathwayList list;

	private final dev.klinika.security.CurrentUser currentUser;

	private final dev.klinika.organization.OrganizationQueries organization;

	CareController(Pathways pathways, CatalogQueries catalog, PatientSearch patients, ScopedRecords scoped,
			JdbcClient jdbc, AuditLog audit, java.time.Clock clock, PathwayList list,
			dev.klinika.security.CurrentUser currentUser, dev.klinika.organization.OrganizationQueries organization) {
		this.organization = organization;
		this.list = list;
		this.currentUser = currentUser;
		this.clock = clock;
		this.pathways = pathways;
		this.catalog = catalog;
		this.patients = patients;
		this.scoped = scoped;
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** What the form shows of the visit: whose, what and when. */
	record Visit(long id, long patientId, long serviceId, java.time.Instant start, String status,
			java.time.ZoneId zone) {
	}

	@GetMapping("/care/visits/{id}/prescribe")
	String form(@PathVariable long id, Model model) {
		describe(model, id);
		List<Row> rows = new ArrayList<>();
		for (int i = 0; i < ROWS; i++) {
			rows.add(Row.empty());
		}
		model.addAttribute("rows", rows);
		model.addAttribute("reexam", "");
		return "care/prescribe";
	}

	/** A typed row of the form, kept as typed when the form comes back with an error. */
	record Row(String what, String sessions, String perWeek, String after, String stage) {

		static Row empty() {
			return new Row("", "", "1", "", "1");
		}

	}

	@PostMapping("/care/visits/{id}/prescribe")
	String prescribe(@PathVariable long id, @RequestParam(name = "what", required = false) @Nullable List<String> what,
			@RequestParam(name = "sessions", required = false) @Nullable List<String> sessions,
			@RequestParam(name = "perWeek", required = false) @Nullable List<String> perWeek,
			@RequestParam(name = "after", required = false) @Nullable List<String> after,
			@RequestParam(name = "stage", required = false) @Nullable List<String> stage,
			@RequestParam(defaultValue = "") String reexam, Model model) {
		List<Row> rows = new ArrayList<>();
		int count = what == null ? 0 : Math.min(what.size(), 20);
		for (int i = 0; i < count; i++) {
			rows.add(new Row(at(what, i), at(sessions, i), at(perWeek, i), at(after, i),
					at(stage, i).isBlank() ? "1" : at(stage, i)));
		}
		try {
			List<Pathways.Item> items = new ArrayList<>();
			for (Row row : rows) {
				if (!row.what().isBlank()) {
					items.add(item(row, items.size() + 1));
				}
			}
			long pathway = this.pathways.prescribe(id, items, reexam.isBlank() ? null : reference(reexam));
			return "redirect:/care/pathways/" + pathway;
		}
		catch (CareRefused refused) {
			describe(model, id);
			while (rows.size() < ROWS) {
				rows.add(Row.empty());
			}
			model.addAttribute("rows", rows);
			model.addAttribute("reexam", reexam);
			model.addAttribute("errorKey", refused.key());
			model.addAttribute("errorArgs", refused.args());
			return "care/prescribe";
		}
	}

	/**
	 * A row as an item: {@code s<id>} is a service, {@code p<id>} anyone of a specialty;
	 * numbers as typed, refused by position when they are not numbers.
	 */
	private static Pathways.Item item(Row row, int position) {
		String what = row.what().strip();
		if (!what.matches("[sp]\\d{1,18}")) {
			throw new CareRefused("care.refused.serviceOrSpecialty", position);
		}
		long ref = Long.parseLong(what.substring(1));
		Integer after = row.after().isBlank() ? null : number(row.after(), "after", position);
		return new Pathways.Item(what.startsWith("s") ? ref : null, what.startsWith("p") ? ref : null,
				number(row.sessions(), "sessions", position), number(row.perWeek(), "perWeek", position), after,
				number(row.stage(), "stage", position));
	}

	private static int number(String typed, String field, int position) {
		if (!typed.strip().matches("\\d{1,3}")) {
			throw new CareRefused("care.refused." + field, position);
		}
		return Integer.parseInt(typed.strip());
	}

	/** A service's id as the form sent it, or refused. */
	private static long reference(String typed) {
		if (!typed.strip().matches("\\d{1,18}")) {
			throw new CareRefused("care.refused.reexamService");
		}
		return Long.parseLong(typed.strip());
	}

	private static String at(@Nullable List<String> values, int i) {
		return values != null && i < values.size() && values.get(i) != null ? values.get(i) : "";
	}

	@GetMapping("/care/pathways/{id}")
	String pathway(@PathVariable long id, Model model) {
		Pathways.Pathway pathway = this.pathways.find(id).orElseThrow();
		this.audit.record("PATHWAY_VIEWED", "pathway", id, null);
		model.addAttribute("pathway", pathway);
		model.addAttribute("steps", this.pathways.steps(id));
		model.addAttribute("next", pathway.open() ? this.pathways.next(id) : null);
		java.time.ZoneId zone = this.jdbc.sql("select time_zone from organization_branch_v where id = :id")
			.param("id", pathway.branchId())
			.query(String.class)
			.optional()
			.map(java.time.ZoneId::of)
			.orElse(java.time.ZoneId.systemDefault());
		model.addAttribute("zone", zone);
		java.util.Map<Integer, String> booking = new java.util.LinkedHashMap<>();
		if (pathway.open()) {
			for (Pathways.Line line : pathway.items()) {
				if (line.toBook() > 0) {
					booking.put(line.position(), CourseLink.of(pathway, line, zone, this.clock.instant()));
				}
			}
		}
		model.addAttribute("booking", booking);
		model.addAttribute("bookAll", booking.values().stream().findFirst().orElse(null));
		model.addAttribute("staffNames", this.staffNames());
		model.addAttribute("consultants",
				this.consultantsIn(dev.klinika.security.BranchScope.of(java.util.Set.of(pathway.branchId()))));
		model.addAttribute("patient", this.patients.briefs(List.of(pathway.patientId())).get(pathway.patientId()));
		model.addAttribute("reexamName", pathway.reexamServiceId() == null ? null
				: this.catalog.names(List.of(pathway.reexamServiceId())).get(pathway.reexamServiceId()));
		return "care/pathway";
	}

	/**
	 * The consultant's list: their patients' pathways (a consultant sees their own unless
	 * they ask for everyone's), stalled first, with the next contact and the actions.
	 */
	@GetMapping("/care/pathways")
	String list(@RequestParam(defaultValue = "") String status, @RequestParam(defaultValue = "") String who,
			@RequestParam(defaultValue = "0") int page, Model model) {
		var user = this.currentUser.require();
		boolean consultant = user.has(dev.klinika.security.Role.CONSULTANT) && user.staffId() != null;
		String whose = who.isBlank() ? (consultant ? "mine" : "all") : who;
		Long staff = switch (whose) {
			case "all" -> null;
			case "mine" -> user.staffId() == null ? -1L : user.staffId();
			default -> whose.matches("\\d{1,18}") ? Long.valueOf(whose) : null;
		};
		String shown = PathwayList.ORDER.contains(status) ? status : null;
		var scope = this.currentUser.workingScope();
		List<PathwayList.Row> rows = this.list.rows(new PathwayList.Filter(shown, staff, page), scope);
		this.audit.record("PATHWAY_LIST_VIEWED", "pathway", null, "status " + (shown == null ? "open" : shown));
		model.addAttribute("rows", rows.size() > PathwayList.PAGE ? rows.subList(0, PathwayList.PAGE) : rows);
		model.addAttribute("hasNext", rows.size() > PathwayList.PAGE);
		model.addAttribute("page", Math.max(0, page));
		model.addAttribute("counts", this.list.counts(staff, scope));
		model.addAttribute("status", shown);
		model.addAttribute("who", whose);
		model.addAttribute("consultants", this.consultantsIn(scope));
		model.addAttribute("now", this.clock.instant());
		model.addAttribute("canSettings",
				this.currentUser.may(org.springframework.http.HttpMethod.GET, "/care/settings"));
		model.addAttribute("zone",
				this.organization.workingZone(this.currentUser.selectedBranch(), this.clock.getZone()));
		return "care/list";
	}

	/** One click: a message to the patient about the next step, on their channel. */
	@PostMapping("/care/pathways/{id}/message")
	String message(@PathVariable long id, @RequestParam(defaultValue = "") String back,
			org.springframework.web.servlet.mvc.support.RedirectAttributes redirect) {
		this.pathways.find(id).orElseThrow();
		try {
			this.pathways.message(id);
			redirect.addFlashAttribute("flashKey", "flash.care.messaged");
		}
		catch (CareRefused refused) {
			flash(redirect, refused);
		}
		return "list".equals(back) ? "redirect:/care/pathways" : "redirect:/care/pathways/" + id;
	}

	/** The patient's answer to a proposed pathway: yes, or no with their reason. */
	@PostMapping("/care/pathways/{id}/decision")
	String decide(@PathVariable long id, @RequestParam(defaultValue = "") String answer,
			@RequestParam(defaultValue = "") String reason, @RequestParam(defaultValue = "-1") int version,
			org.springframework.web.servlet.mvc.support.RedirectAttributes redirect) {
		// Another branch's pathway is not found, whatever the form says.
		this.pathways.find(id).orElseThrow();
		try {
			if (!answer.equals("accept") && !answer.equals("decline")) {
				throw new CareRefused("care.refused.answer");
			}
			this.pathways.decide(id, answer.equals("accept"), reason, version);
		}
		catch (CareRefused refused) {
			flash(redirect, refused);
		}
		return "redirect:/care/pathways/" + id;
	}

	/** The patient stops a pathway under way: why, with the version the page showed. */
	@PostMapping("/care/pathways/{id}/abandon")
	String abandon(@PathVariable long id, @RequestParam(defaultValue = "") String reason,
			@RequestParam(defaultValue = "-1") int version,
			org.springframework.web.servlet.mvc.support.RedirectAttributes redirect) {
		this.pathways.find(id).orElseThrow();
		try {
			this.pathways.abandon(id, reason, version);
		}
		catch (CareRefused refused) {
			flash(redirect, refused);
		}
		return "redirect:/care/pathways/" + id;
	}

	/** Puts a consultant in charge of the pathway, or nobody. */
	@PostMapping("/care/pathways/{id}/consultant")
	String assign(@PathVariable long id, @RequestParam(defaultValue = "") String consultant,
			@RequestParam(defaultValue = "-1") int version,
			org.springframework.web.servlet.mvc.support.RedirectAttributes redirect) {
		this.pathways.find(id).orElseThrow();
		try {
			if (!consultant.isBlank() && !consultant.matches("\\d{1,18}")) {
				throw new CareRefused("care.refused.consultant");
			}
			this.pathways.assign(id, consultant.isBlank() ? null : Long.parseLong(consultant), version);
		}
		catch (CareRefused refused) {
			flash(redirect, refused);
		}
		return "redirect:/care/pathways/" + id;
	}

	private static void flash(org.springframework.web.servlet.mvc.support.RedirectAttributes redirect,
			CareRefused refused) {
		redirect.addFlashAttribute("flashErrorKey", refused.key());
		redirect.addFlashAttribute("flashErrorArgs",
				java.util.Arrays.stream(refused.args()).map(String::valueOf).toArray(String[]::new));
	}

	/** Names of the staff, for the steps' specialists and the consultant. */
	private java.util.Map<Long, String> staffNames() {
		java.util.Map<Long, String> names = new java.util.HashMap<>();
		this.jdbc.sql("select id, surname || ' ' || name from organization_staff_v")
			.query((rs, n) -> names.put(rs.getLong(1), rs.getString(2)))
			.list();
		return names;
	}

	/** Who may be put in charge: the branch's active staff who have a login. */
	record Consultant(long id, String name) {
	}

	private List<Consultant> consultantsIn(dev.klinika.security.BranchScope scope) {
		return this.jdbc.sql("""
				select distinct s.id, s.surname || ' ' || s.name as name
				  from organization_staff_v s join organization_staff_branch_v b on b.staff_id = s.id
				  join security_user_v u on u.staff_id = s.id and u.enabled
				 where s.active and %s order by 2
				""".formatted(scope.sql("b.branch_id"))).param("ids", scope.idsForSql()).query(Consultant.class).list();
	}

	private void describe(Model model, long id) {
		this.scoped.requireOrUnowned("appointment", id, Pathways.BRANCH_OF_VISIT);
		Visit visit = this.jdbc.sql("""
				select a.id, a.patient_id, a.service_id, a.starts_at, a.status, br.time_zone
				  from scheduling_appointment_v a join organization_branch_v br on br.id = a.branch_id where a.id = :id
				""")
			.param("id", id)
			.query((rs, n) -> new Visit(rs.getLong(1), rs.getLong(2), rs.getLong(3),
					rs.getObject(4, java.time.OffsetDateTime.class).toInstant(), rs.getString(5),
					java.time.ZoneId.of(rs.getString(6))))
			.optional()
			.orElseThrow(() -> new ScopedRecords.NotInScope("appointment", id));
		model.addAttribute("visit", visit);
		model.addAttribute("patient", this.patients.briefs(List.of(visit.patientId())).get(visit.patientId()));
		model.addAttribute("serviceName",
				this.catalog.names(List.of(visit.serviceId())).getOrDefault(visit.serviceId(), "—"));
		model.addAttribute("services", this.catalog.services(null, null, null, false));
		model.addAttribute("specialties", this.pathways.specialties());
		model.addAttribute("prescribed", this.pathways.ofVisit(id));
		model.addAttribute("zone", visit.zone());
	}

}
