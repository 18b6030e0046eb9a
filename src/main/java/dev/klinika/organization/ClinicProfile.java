package dev.klinika.organization;

import java.util.Currency;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.organization.Clinic.LegalDetails;
import dev.klinika.security.AuditLog;
import dev.klinika.shared.ConcurrentChange;

/** Reads and changes the clinic's name, contacts, legal details and currency. */
@Service
@Transactional
public class ClinicProfile {

	private final Clinics clinics;

	private final AuditLog audit;

	ClinicProfile(Clinics clinics, AuditLog audit) {
		this.clinics = clinics;
		this.audit = audit;
	}

	@Transactional(readOnly = true)
	public Clinic current() {
		return this.clinics.current();
	}

	public Clinic update(@Nullable Integer expectedVersion, String name, LegalDetails legal, @Nullable String phone,
			@Nullable String email, @Nullable String website, Currency currency, @Nullable String privacyPolicy) {
		Clinic clinic = this.clinics.current();
		ConcurrentChange.check(expectedVersion, clinic.getVersion(), "clinic");
		String before = clinic.getName() + " " + clinic.getLegal();
		clinic.describe(name, legal, phone, email, website, currency, privacyPolicy);
		clinic = this.clinics.save(clinic);
		this.audit.record("CLINIC_CHANGED", "clinic", 1, before + " -> " + clinic.getName() + " " + clinic.getLegal());
		return clinic;
	}

}
