package dev.klinika.organization;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.ConcurrentChange;

/**
 * Hires, changes and dismisses staff, and keeps the list of specialties. A staff member
 * is visible to a login that shares one of their branches; viewing a card is audited,
 * since it holds personal contacts.
 */
@Service
@Transactional
public class StaffManagement {

	private final StaffMembers staff;

	private final Specialties specialties;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	private final Clock clock;

	StaffManagement(StaffMembers staff, Specialties specialties, CurrentUser currentUser, AuditLog audit, Clock clock) {
		this.staff = staff;
		this.specialties = specialties;
		this.currentUser = currentUser;
		this.audit = audit;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	public Optional<StaffMember> find(long id) {
		var scope = this.currentUser.scope();
		return this.staff.findById(id)
			.filter(member -> scope.all() || member.getBranchIds().stream().anyMatch(scope::includes));
	}

	/** Finds a staff member for a person to look at, and records that they did. */
	public Optional<StaffMember> view(long id) {
		Optional<StaffMember> member = find(id);
		member.ifPresent(found -> this.audit.record("STAFF_VIEWED", "staff", id, null));
		return member;
	}

	public StaffMember hire(StaffMember.Profile profile) {
		StaffMember member = this.staff.save(new StaffMember(profile));
		this.audit.record("STAFF_CREATED", "staff", member.getId(), describe(member));
		return member;
	}

	public StaffMember update(long id, @Nullable Integer expectedVersion, StaffMember.Profile profile) {
		StaffMember member = find(id).orElseThrow();
		ConcurrentChange.check(expectedVersion, member.getVersion(), "staff " + id);
		String before = describe(member);
		member.describe(profile);
		member = this.staff.save(member);
		this.audit.record("STAFF_CHANGED", "staff", id, before + " -> " + describe(member));
		return member;
	}

	public void dismiss(long id) {
		StaffMember member = find(id).orElseThrow();
		member.dismiss(LocalDate.now(this.clock));
		this.staff.save(member);
		this.audit.record("STAFF_DISMISSED", "staff", id, member.getFullName());
	}

	public void reinstate(long id) {
		StaffMember member = find(id).orElseThrow();
		member.reinstate();
		this.staff.save(member);
		this.audit.record("STAFF_REINSTATED", "staff", id, member.getFullName());
	}

	public Specialty addSpecialty(String name) {
		Specialty specialty = this.specialties.save(new Specialty(name));
		this.audit.record("SPECIALTY_CREATED", "specialty", specialty.getId(), specialty.getName());
		return specialty;
	}

	public Specialty renameSpecialty(long id, String name) {
		Specialty specialty = this.specialties.findById(id).orElseThrow();
		String before = specialty.getName();
		specialty.rename(name);
		specialty = this.specialties.save(specialty);
		this.audit.record("SPECIALTY_CHANGED", "specialty", id, before + " -> " + specialty.getName());
		return specialty;
	}

	public void setSpecialtyActive(long id, boolean active) {
		Specialty specialty = this.specialties.findById(id).orElseThrow();
		specialty.setActive(active);
		this.specialties.save(specialty);
		this.audit.record(active ? "SPECIALTY_ACTIVATED" : "SPECIALTY_DEACTIVATED", "specialty", id,
				specialty.getName());
	}

	@Transactional(readOnly = true)
	public boolean specialtyNameTaken(String name, @Nullable Long exceptId) {
		return this.specialties.nameTaken(name.trim(), exceptId == null ? -1 : exceptId);
	}

	private static String describe(StaffMember member) {
		return member.getFullName() + "; " + member.getPosition() + "; specialties=" + member.getSpecialtyIds()
				+ "; branches=" + member.getBranchIds();
	}

}
