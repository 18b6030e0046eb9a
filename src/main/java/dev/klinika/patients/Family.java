package dev.klinika.patients;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;

/**
 * Family links between cards: a child and a parent, a ward and a guardian. A
 * representative's contacts receive the patient's reminders ({@link #representativesOf});
 * both cards show the link.
 */
@Service
@Transactional
class Family {

	private final JdbcClient jdbc;

	private final CardHistory history;

	private final AuditLog audit;

	Family(JdbcClient jdbc, CardHistory history, AuditLog audit) {
		this.jdbc = jdbc;
		this.history = history;
		this.audit = audit;
	}

	/** Links a relative to the patient; linking again changes the relation. */
	public void link(long patientId, long relativeId, Relation relation, boolean representative) {
		if (patientId == relativeId) {
			throw new IllegalArgumentException("A patient is not their own relative");
		}
		this.jdbc.sql("""
				insert into patient_relative (patient_id, relative_id, relation, representative)
				values (:p, :r, :relation, :rep)
				on conflict (patient_id, relative_id) do update set relation = excluded.relation,
				    representative = excluded.representative
				""")
			.param("p", patientId)
			.param("r", relativeId)
			.param("relation", relation.name())
			.param("rep", representative)
			.update();
		this.history.add(patientId, "RELATIVE_LINKED", relation + " #" + relativeId);
		this.history.add(relativeId, "RELATIVE_LINKED", relation + " of #" + patientId);
		this.audit.record("RELATIVE_LINKED", "patient", patientId, relation + " #" + relativeId);
	}

	public void unlink(long patientId, long relativeId) {
		int removed = this.jdbc.sql("""
				delete from patient_relative
				 where (patient_id = :p and relative_id = :r) or (patient_id = :r and relative_id = :p)
				""").param("p", patientId).param("r", relativeId).update();
		if (removed > 0) {
			this.history.add(patientId, "RELATIVE_UNLINKED", "#" + relativeId);
			this.audit.record("RELATIVE_UNLINKED", "patient", patientId, "#" + relativeId);
		}
	}

	/**
	 * Everyone linked to the patient, in both directions: a child's parents and a
	 * parent's children.
	 */
	@Transactional(readOnly = true)
	public List<Link> of(long patientId) {
		return this.jdbc.sql("""
				select r.relative_id as other, r.relation, r.representative, true as of_patient,
				       p.full_name as name, p.birth_date
				  from patient_relative r join patients_card_v p on p.id = r.relative_id where r.patient_id = :id
				union all
				select r.patient_id, r.relation, r.representative, false,
				       p.full_name, p.birth_date
				  from patient_relative r join patients_card_v p on p.id = r.patient_id where r.relative_id = :id
				 order by 5
				""")
			.param("id", patientId)
			.query((rs, row) -> new Link(rs.getLong("other"), rs.getString("name"),
					rs.getObject("birth_date", java.time.LocalDate.class), Relation.valueOf(rs.getString("relation")),
					rs.getBoolean("representative"), rs.getBoolean("of_patient")))
			.list();
	}

	/**
	 * Whose contacts get the patient's reminders instead of (or besides) the patient's
	 * own.
	 */
	@Transactional(readOnly = true)
	public List<Long> representativesOf(long patientId) {
		return this.jdbc.sql("select relative_id from patient_relative where patient_id = :id and representative")
			.param("id", patientId)
			.query(Long.class)
			.list();
	}

	/**
	 * A link as a card shows it. {@code relativeOfPatient}: the other card is this
	 * patient's {@code relation} (her mother); otherwise this patient is the other's
	 * {@code relation}.
	 */
	public record Link(long otherId, String otherName,
			java.time.@org.jspecify.annotations.Nullable LocalDate otherBirth, Relation relation,
			boolean representative, boolean relativeOfPatient) {
	}

}
