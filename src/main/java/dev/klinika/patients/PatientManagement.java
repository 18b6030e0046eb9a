package dev.klinika.patients;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.ScopedRecords;

import dev.klinika.shared.ConcurrentChange;
import dev.klinika.shared.PhoneNumber;

/**
 * Registers and changes patient cards. A card is visible to logins of its home branch
 * (and to network-wide roles); every view and change is audited and every change is on
 * the timeline.
 */
@Service
@Transactional
public class PatientManagement {

	private final Patients patients;

	private final CardHistory history;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final List<CardAccess> access;

	PatientManagement(Patients patients, CardHistory history, AuditLog audit, CurrentUser currentUser,
			List<CardAccess> access) {
		this.patients = patients;
		this.history = history;
		this.audit = audit;
		this.currentUser = currentUser;
		this.access = access;
	}

	/**
	 * A card the current login may see, tombstones included (they redirect): one of its
	 * home branch, or one another module grants (an appointment in the login's branches).
	 */
	@Transactional(readOnly = true)
	public Optional<Patient> find(long id) {
		var scope = this.currentUser.scope();
		return this.patients.findById(id)
			.filter(patient -> scope.includes(patient.getHomeBranchId())
					|| this.access.stream().anyMatch(access -> access.grants(id, scope)));
	}

	/**
	 * A card named by id in a form or body (to book, to link a task): the login must see
	 * it, else it is not there (404) and nothing is saved.
	 */
	@Transactional(readOnly = true)
	public Patient require(long id) {
		return find(id).orElseThrow(() -> new ScopedRecords.NotInScope("patient", id));
	}

	/** Finds a card for a person to look at, and records that they did. */
	public Optional<Patient> view(long id) {
		Optional<Patient> patient = find(id);
		patient.ifPresent(found -> this.audit.record("PATIENT_VIEWED", "patient", id, null));
		return patient;
	}

	public Patient register(PatientDetails details) {
		checkScope(details.homeBranchId());
		String actor = this.currentUser.actor();
		Patient patient = this.patients.save(new Patient(details, actor));
		this.history.add(patient.getId(), "CREATED", patient.getFullName());
		this.audit.record("PATIENT_CREATED", "patient", patient.getId(), null);
		return patient;
	}

	public Patient update(long id, @Nullable Integer expectedVersion, PatientDetails details) {
		Patient patient = find(id).orElseThrow();
		if (patient.getMergedInto() != null || patient.isErased()) {
			throw new IllegalStateException("Patient " + id + " is merged or erased and cannot change");
		}
		ConcurrentChange.check(expectedVersion, patient.getVersion(), "patient " + id);
		checkScope(details.homeBranchId());
		PatientDetails before = patient.details();
		patient.describe(details);
		patient = this.patients.save(patient);
		List<TimelineEntry.Change> changes = changes(before, patient.details());
		this.history.changed(id, changes);
		this.audit.record("PATIENT_CHANGED", "patient", id,
				String.join(", ", changes.stream().map(TimelineEntry.Change::field).toList()));
		return patient;
	}

	private void checkScope(long branchId) {
		if (!this.currentUser.scope().includes(branchId) && this.currentUser.get().isPresent()) {
			throw new IllegalArgumentException("Branch " + branchId + " is outside the login's branches");
		}
	}

	/** What an edit changed, field by field, for the timeline. */
	static List<TimelineEntry.Change> changes(PatientDetails before, PatientDetails after) {
		List<TimelineEntry.Change> changes = new ArrayList<>();
		compare(changes, "surname", before, after, PatientDetails::surname);
		compare(changes, "name", before, after, PatientDetails::name);
		compare(changes, "patronymic", before, after, PatientDetails::patronymic);
		compare(changes, "sex", before, after, PatientDetails::sex);
		compare(changes, "birthDate", before, after, PatientDetails::birthDate);
		compare(changes, "phones", before, after,
				details -> String.join(", ", details.phones().stream().map(PhoneNumber::e164).toList()));
		compare(changes, "email", before, after, PatientDetails::email);
		compare(changes, "messengers", before, after, details -> new java.util.TreeMap<>(details.messengers()));
		compare(changes, "preferredChannel", before, after, PatientDetails::preferredChannel);
		compare(changes, "timeZone", before, after, PatientDetails::zone);
		compare(changes, "source", before, after, PatientDetails::sourceId);
		compare(changes, "tags", before, after, details -> new java.util.TreeSet<>(details.tags()));
		compare(changes, "notes", before, after, PatientDetails::notes);
		compare(changes, "consultant", before, after, PatientDetails::consultantId);
		compare(changes, "nextContactOn", before, after, PatientDetails::nextContactOn);
		compare(changes, "homeBranch", before, after, PatientDetails::homeBranchId);
		return changes;
	}

	private static void compare(List<TimelineEntry.Change> changes, String field, PatientDetails before,
			PatientDetails after, Function<PatientDetails, @Nullable Object> value) {
		Object old = value.apply(before);
		Object now = value.apply(after);
		if (!Objects.equals(normalize(old), normalize(now))) {
			changes.add(new TimelineEntry.Change(field, normalize(old), normalize(now)));
		}
	}

	private static @Nullable String normalize(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		String text = value.toString();
		return text.isEmpty() || "{}".equals(text) || "[]".equals(text) ? null : text;
	}

}
