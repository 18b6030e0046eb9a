package dev.klinika.patients;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;

/**
 * A patient's rights under 152-FZ: everything the clinic holds about them, as data and as
 * a page; and erasure on request, which removes or pseudonymizes personal fields while
 * records the clinic must keep (consents as proof, history, later payments) stay without
 * identity.
 */
@Service
@Transactional
public class PatientRights {

	/** What an erased card is called wherever it still appears. */
	public static final String ERASED_NAME = "—";

	private final PatientManagement patients;

	private final Consents consents;

	private final Timeline timeline;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final Clock clock;

	PatientRights(PatientManagement patients, Consents consents, Timeline timeline, JdbcClient jdbc, AuditLog audit,
			Clock clock) {
		this.patients = patients;
		this.consents = consents;
		this.timeline = timeline;
		this.jdbc = jdbc;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Everything held about the patient, for a machine-readable file; the export is
	 * audited.
	 */
	public Map<String, Object> export(long id) {
		Patient patient = this.patients.find(id).orElseThrow();
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("id", patient.getId());
		data.put("surname", patient.getSurname());
		data.put("name", patient.getName());
		data.put("patronymic", patient.getPatronymic());
		data.put("sex", patient.getSex());
		data.put("birthDate", patient.getBirthDate());
		data.put("phones", patient.getPhones().stream().map(phone -> phone.e164()).toList());
		data.put("email", patient.getEmail());
		data.put("messengers", patient.getMessengers());
		data.put("preferredChannel", patient.getPreferredChannel());
		data.put("timeZone", patient.getZone().map(Object::toString).orElse(null));
		data.put("tags", patient.getTags());
		data.put("notes", patient.getNotes());
		data.put("nextContactOn", patient.getNextContactOn());
		data.put("homeBranchId", patient.getHomeBranchId());
		data.put("sourceId", patient.getSourceId());
		data.put("consultantId", patient.getConsultantId());
		data.put("createdAt", patient.getCreatedAt());
		data.put("consents", this.consents.of(id));
		data.put("relatives", this.jdbc.sql("""
				select relative_id, relation, representative from patient_relative where patient_id = :id
				union all
				select patient_id, 'OF:' || relation, false from patient_relative where relative_id = :id
				""").param("id", id).query().listOfRows());
		data.put("history", this.timeline.page(id, this.clock.instant().plusSeconds(1), 10_000));
		this.audit.record("PATIENT_EXPORTED", "patient", id, null);
		return data;
	}

	/**
	 * Erases the personal data of a card on the patient's request: names become a dash,
	 * contacts, notes, tags and family links go, history keeps only what happened, live
	 * consents end. The card keeps its number for the records that must stay.
	 */
	public void erase(long id, String request) {
		Patient patient = this.patients.find(id).orElseThrow();
		if (patient.isErased()) {
			return;
		}
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		this.jdbc.sql("""
				update patient set surname = :erased, name = :erased, patronymic = null, sex = null, birth_date = null,
				       email = null, preferred_channel = null, time_zone = null, notes = null, consultant_id = null,
				       next_contact_on = null, source_id = null, erased_at = :now, version = version + 1
				 where id = :id
				""").param("erased", ERASED_NAME).param("now", now).param("id", id).update();
		for (String table : List.of("patient_phone", "patient_messenger", "patient_tag")) {
			this.jdbc.sql("delete from " + table + " where patient_id = :id").param("id", id).update();
		}
		this.jdbc.sql("delete from patient_relative where patient_id = :id or relative_id = :id")
			.param("id", id)
			.update();
		this.jdbc.sql("update patient_consent set withdrawn_at = :now where patient_id = :id and withdrawn_at is null")
			.param("now", now)
			.param("id", id)
			.update();
		this.jdbc.sql("update patient_consent set proof = null where patient_id = :id").param("id", id).update();
		this.jdbc.sql("update patient_timeline set summary = '' where patient_id = :id").param("id", id).update();
		this.jdbc.sql("insert into patient_timeline (patient_id, kind, summary, actor) values (:id, 'ERASED', :r, :a)")
			.param("id", id)
			.param("r", request)
			.param("a", "system")
			.update();
		this.audit.record("PATIENT_ERASED", "patient", id, "request: " + request);
	}

	/**
	 * Removes a card made moments ago for a request that then failed (an online booking
	 * whose time was taken): personal data is not kept without a purpose (152-FZ). Only
	 * the card's own rows go (phones, tags, consent, history); a card that anything else
	 * refers to by then (a booking made for the same person at once) has a purpose, and
	 * the delete fails on that reference: run this in a transaction of its own and let
	 * the failure keep the card.
	 */
	public void discard(long id) {
		for (String table : List.of("patient_phone", "patient_messenger", "patient_tag", "patient_consent",
				"patient_timeline")) {
			this.jdbc.sql("delete from " + table + " where patient_id = :id").param("id", id).update();
		}
		this.jdbc.sql("delete from patient where id = :id").param("id", id).update();
		this.audit.record("PATIENT_DISCARDED", "patient", id, "a request that failed");
	}

}
