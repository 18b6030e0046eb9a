package dev.klinika.care;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.patients.CardPanel;
import dev.klinika.patients.CardPanelContributor;
import dev.klinika.security.BranchScope;
import dev.klinika.security.CurrentUser;

/**
 * The patient's pathways on their card, each as a line of steps: prescribed, the
 * patient's answer, booked, attended, the re-examination, the end; each with its date and
 * who did it, and what comes next. Open pathways first, then the latest ended ones;
 * another branch's pathways stay out.
 */
@Component
class CareCard implements CardPanelContributor {

	/** Pathways on the card at most; the rest are a click away on the timeline. */
	static final int SHOWN = 5;

	private final Pathways pathways;

	private final JdbcClient jdbc;

	private final CurrentUser currentUser;

	CareCard(Pathways pathways, JdbcClient jdbc, CurrentUser currentUser) {
		this.pathways = pathways;
		this.jdbc = jdbc;
		this.currentUser = currentUser;
	}

	/**
	 * One step of the line: done, current (what is being waited for), to do, or failed.
	 */
	record Milestone(String kind, String state, @Nullable Instant at, @Nullable String staff, @Nullable String actor,
			int count, int of, @Nullable String note) {
	}

	/** A pathway as the card draws it. */
	record Line(Pathways.Pathway pathway, List<Milestone> milestones, @Nullable String next) {
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<CardPanel> panel(long patientId) {
		BranchScope scope = this.currentUser.scope();
		List<Long> ids = this.jdbc.sql("""
				select id from care_pathway where patient_id = :patient and (:all or branch_id in (:ids))
				 order by status in ('PROPOSED', 'ACCEPTED', 'IN_PROGRESS', 'STALLED') desc, created_at desc, id desc
				 limit :limit
				""")
			.param("patient", patientId)
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.param("limit", SHOWN)
			.query(Long.class)
			.list();
		if (ids.isEmpty()) {
			return Optional.empty();
		}
		Map<Long, String> staff = staffNames(ids);
		List<Line> lines = new ArrayList<>();
		for (long id : ids) {
			this.pathways.find(id).ifPresent(pathway -> lines.add(line(pathway, this.pathways.steps(id), staff)));
		}
		return Optional.of(new CardPanel("care/card", "pathways", lines));
	}

	private Line line(Pathways.Pathway p, List<Pathways.Step> steps, Map<Long, String> staff) {
		List<Milestone> line = new ArrayList<>();
		line.add(new Milestone("PRESCRIBED", "done", p.createdAt(), staff.get(p.prescribedBy()), p.createdBy(), 0, 0,
				null));
		Pathways.Step accepted = last(steps, s -> "ACCEPTED".equals(s.kind()));
		Pathways.Step declined = last(steps, s -> "DECLINED".equals(s.kind()));
		boolean decided = !"PROPOSED".equals(p.status()) && !"DECLINED".equals(p.status());
		if ("DECLINED".equals(p.status())) {
			line.add(new Milestone("DECLINED", "failed", declined == null ? null : declined.at(), null,
					declined == null ? null : declined.actor(), 0, 0, p.declineReason()));
		}
		else if (accepted != null || decided) {
			line.add(new Milestone("ACCEPTED", "done", accepted == null ? null : accepted.at(), null,
					accepted == null ? null : accepted.actor(), 0, 0, null));
		}
		else {
			line.add(new Milestone("PROPOSED", "current", null, null, null, 0, 0, null));
		}
		int prescribed = p.prescribed();
		int booked = p.items().stream().mapToInt(l -> l.booked() + l.attended()).sum();
		int attended = p.attended();
		int missed = p.items().stream().mapToInt(Pathways.Line::missed).sum();
		boolean open = p.open();
		Pathways.Step lastBooked = last(steps, s -> "BOOKED".equals(s.kind()) && s.position() != null);
		line.add(new Milestone("BOOKED", state(booked >= prescribed, open && decided), at(lastBooked), null,
				lastBooked == null ? null : lastBooked.actor(), booked, prescribed, null));
		Pathways.Step lastCame = last(steps, s -> "ATTENDED".equals(s.kind()) && s.position() != null);
		line.add(new Milestone("ATTENDED", state(attended >= prescribed, open && booked > 0), at(lastCame),
				lastCame == null ? null : staff.get(lastCame.staffId()), null, attended, prescribed,
				missed > 0 ? String.valueOf(missed) : null));
		if (p.reexamServiceId() != null) {
			Pathways.Step reexamCame = last(steps, s -> "ATTENDED".equals(s.kind()) && s.position() == null);
			Pathways.Step reexamBooked = last(steps, s -> "BOOKED".equals(s.kind()) && s.position() == null);
			boolean courseDone = attended >= prescribed;
			Pathways.Step shown = reexamCame != null ? reexamCame : reexamBooked;
			line.add(new Milestone("REEXAM",
					reexamCame != null ? "done" : (reexamBooked != null || courseDone) ? "current" : "todo",
					shown == null ? null : reexamCame != null ? shown.at() : shown.visitStart(),
					shown == null ? null : staff.get(shown.staffId()), null, reexamBooked != null ? 1 : 0, 1, null));
		}
		Pathways.Step end = last(steps, s -> "COMPLETED".equals(s.kind()) || "ABANDONED".equals(s.kind()));
		switch (p.status()) {
			case "COMPLETED" -> line.add(new Milestone("COMPLETED", "done", at(end), null, null, 0, 0, null));
			case "ABANDONED" -> line.add(new Milestone("ABANDONED", "failed", at(end), null,
					end == null ? null : end.actor(), 0, 0, p.endReason()));
			case "DECLINED" -> {
			}
			default -> line.add(new Milestone("END", "todo", null, null, null, 0, 0, null));
		}
		return new Line(p, line, open ? this.pathways.next(p.id()) : null);
	}

	private static String state(boolean done, boolean current) {
		return done ? "done" : current ? "current" : "todo";
	}

	private static @Nullable Instant at(Pathways.@Nullable Step step) {
		return step == null ? null : step.at();
	}

	private static Pathways.@Nullable Step last(List<Pathways.Step> steps, Predicate<Pathways.Step> which) {
		Pathways.Step found = null;
		for (Pathways.Step step : steps) {
			if (which.test(step)) {
				found = step;
			}
		}
		return found;
	}

	/** The names of the prescribers and of the specialists on these pathways' steps. */
	private Map<Long, String> staffNames(List<Long> pathways) {
		Map<Long, String> names = new java.util.HashMap<>();
		this.jdbc.sql("""
				select s.id, s.surname || ' ' || s.name from organization_staff_v s
				 where s.id in (select prescribed_by from care_pathway where id in (:ids)
				                union select staff_id from care_step where pathway_id in (:ids))
				""").param("ids", pathways).query((rs, n) -> names.put(rs.getLong(1), rs.getString(2))).list();
		return names;
	}

}
