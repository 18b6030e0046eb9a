package dev.klinika.patients;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;

/**
 * Merges a duplicate card into the one that survives. The person picks each field's
 * value; phones, messengers, tags, notes, consents, family links and history are united,
 * so nothing is lost; the duplicate stays as a tombstone, and {@link PatientsMerged}
 * tells the other modules.
 */
@Service
@Transactional
public class PatientMerge {

	/** Fields whose surviving value a person chooses: the keys of {@code choices}. */
	public static final List<String> FIELDS = List.of("surname", "name", "patronymic", "sex", "birthDate", "email",
			"preferredChannel", "timeZone", "source", "consultant", "nextContactOn", "homeBranch");

	private final PatientManagement patients;

	private final Patients repository;

	private final CardHistory history;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final ApplicationEventPublisher events;

	PatientMerge(PatientManagement patients, Patients repository, CardHistory history, JdbcClient jdbc, AuditLog audit,
			CurrentUser currentUser, ApplicationEventPublisher events) {
		this.patients = patients;
		this.repository = repository;
		this.history = history;
		this.jdbc = jdbc;
		this.audit = audit;
		this.currentUser = currentUser;
		this.events = events;
	}

	/**
	 * Merges {@code mergedId} into {@code survivorId}. {@code choices} maps a field of
	 * {@link #FIELDS} to the id of the card whose value survives; a field not named keeps
	 * the survivor's value, or the duplicate's where the survivor has none.
	 */
	public Patient merge(long survivorId, long mergedId, Map<String, Long> choices) {
		if (survivorId == mergedId) {
			throw new IllegalArgumentException("A card cannot be merged into itself");
		}
		// Lock both cards in id order, so two people merging the same pair cannot
		// deadlock or both win.
		this.jdbc.sql("select id from patient where id in (:a, :b) order by id for update")
			.param("a", survivorId)
			.param("b", mergedId)
			.query(Long.class)
			.list();
		Patient survivor = live(survivorId);
		Patient merged = live(mergedId);
		PatientDetails a = survivor.details();
		PatientDetails b = merged.details();
		PatientDetails united = new PatientDetails(pick(choices, "surname", mergedId, a.surname(), b.surname()),
				pick(choices, "name", mergedId, a.name(), b.name()),
				pick(choices, "patronymic", mergedId, a.patronymic(), b.patronymic()),
				pick(choices, "sex", mergedId, a.sex(), b.sex()),
				pick(choices, "birthDate", mergedId, a.birthDate(), b.birthDate()), union(a.phones(), b.phones()),
				pick(choices, "email", mergedId, a.email(), b.email()), unionMessengers(a, b),
				pick(choices, "preferredChannel", mergedId, a.preferredChannel(), b.preferredChannel()),
				pick(choices, "timeZone", mergedId, a.zone(), b.zone()),
				pick(choices, "source", mergedId, a.sourceId(), b.sourceId()), union(a.tags(), b.tags()),
				joinNotes(joinNotes(a.notes(), b.notes()), otherEmail(choices, mergedId, a.email(), b.email())),
				pick(choices, "consultant", mergedId, a.consultantId(), b.consultantId()),
				pick(choices, "nextContactOn", mergedId, a.nextContactOn(), b.nextContactOn()),
				pick(choices, "homeBranch", mergedId, a.homeBranchId(), b.homeBranchId()));
		Patient result = this.patients.update(survivorId, null, united);
		moveRecords(survivorId, mergedId);
		merged.mergeInto(survivorId);
		this.repository.save(merged);
		String summary = merged.getFullName() + " (#" + mergedId + ") -> #" + survivorId;
		this.history.add(survivorId, "MERGED", summary);
		this.history.add(mergedId, "MERGED", summary);
		this.audit.record("PATIENT_MERGED", "patient", survivorId, summary);
		this.events.publishEvent(new PatientsMerged(survivorId, mergedId));
		return result;
	}

	/**
	 * Marks a likely pair as two different people, so the duplicates list stops offering
	 * it.
	 */
	public void markDifferent(long first, long second) {
		live(first);
		live(second);
		this.jdbc.sql("""
				insert into patient_not_duplicate (patient_a, patient_b, marked_by) values (:a, :b, :by)
				on conflict do nothing
				""")
			.param("a", Math.min(first, second))
			.param("b", Math.max(first, second))
			.param("by", this.currentUser.actor())
			.update();
		this.audit.record("PATIENTS_NOT_DUPLICATES", "patient", first, "#" + first + " / #" + second);
	}

	private Patient live(long id) {
		Patient patient = this.patients.find(id).orElseThrow();
		if (patient.getMergedInto() != null || patient.isErased()) {
			throw new IllegalStateException("Patient " + id + " was already merged or erased");
		}
		return patient;
	}

	/** Consents, history and family links of the duplicate now belong to the survivor. */
	private void moveRecords(long survivorId, long mergedId) {
		this.jdbc.sql("update patient_consent set patient_id = :s where patient_id = :m")
			.param("s", survivorId)
			.param("m", mergedId)
			.update();
		this.jdbc.sql("update patient_timeline set patient_id = :s where patient_id = :m")
			.param("s", survivorId)
			.param("m", mergedId)
			.update();
		for (String[] columns : new String[][] { { "patient_id", "relative_id" }, { "relative_id", "patient_id" } }) {
			this.jdbc.sql("""
					insert into patient_relative (patient_id, relative_id, relation, representative)
					select %1$s, %2$s, relation, representative from (
					    select case when %1$s = :m then :s else %1$s end as %1$s,
					           case when %2$s = :m then :s else %2$s end as %2$s, relation, representative
					      from patient_relative where %1$s = :m) moved
					 where patient_id <> relative_id
					on conflict do nothing
					""".formatted(columns[0], columns[1])).param("s", survivorId).param("m", mergedId).update();
		}
		this.jdbc.sql("delete from patient_relative where patient_id = :m or relative_id = :m")
			.param("m", mergedId)
			.update();
	}

	private static <T> T pick(Map<String, Long> choices, String field, long mergedId, T survivorValue, T mergedValue) {
		Long chosen = choices.get(field);
		if (chosen != null && chosen == mergedId) {
			return mergedValue;
		}
		return survivorValue != null ? survivorValue : mergedValue;
	}

	private static <T> List<T> union(List<T> first, List<T> second) {
		Set<T> all = new LinkedHashSet<>(first);
		all.addAll(second);
		return new ArrayList<>(all);
	}

	private static Set<String> union(Set<String> first, Set<String> second) {
		Set<String> all = new LinkedHashSet<>(first);
		all.addAll(second);
		return all;
	}

	private static Map<Messenger, String> unionMessengers(PatientDetails survivor, PatientDetails merged) {
		Map<Messenger, String> all = new java.util.EnumMap<>(Messenger.class);
		all.putAll(merged.messengers());
		all.putAll(survivor.messengers());
		return all;
	}

	/**
	 * A card keeps one email; the one not chosen is kept in the notes, so it is not lost.
	 */
	private static String otherEmail(Map<String, Long> choices, long mergedId, String survivorEmail,
			String mergedEmail) {
		if (survivorEmail == null || mergedEmail == null || survivorEmail.equalsIgnoreCase(mergedEmail)) {
			return null;
		}
		String kept = pick(choices, "email", mergedId, survivorEmail, mergedEmail);
		return "E-mail: " + (kept.equals(survivorEmail) ? mergedEmail : survivorEmail);
	}

	private static String joinNotes(String first, String second) {
		if (first == null || first.isBlank()) {
			return second;
		}
		if (second == null || second.isBlank() || first.contains(second)) {
			return first;
		}
		return first + "\n" + second;
	}

}
