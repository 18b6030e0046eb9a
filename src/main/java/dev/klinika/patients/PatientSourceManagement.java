package dev.klinika.patients;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;

/**
 * Adds sources and switches them off; a source in use stays on the cards that have it.
 */
@Service
@Transactional
public class PatientSourceManagement {

	private final PatientSources sources;

	private final AuditLog audit;

	PatientSourceManagement(PatientSources sources, AuditLog audit) {
		this.sources = sources;
		this.audit = audit;
	}

	public PatientSource add(String name) {
		PatientSource source = this.sources.save(new PatientSource(name));
		this.audit.record("SOURCE_CREATED", "source", source.getId(), source.getName());
		return source;
	}

	public void setActive(long id, boolean active) {
		PatientSource source = this.sources.findById(id).orElseThrow();
		source.setActive(active);
		this.sources.save(source);
		this.audit.record(active ? "SOURCE_ACTIVATED" : "SOURCE_DEACTIVATED", "source", id, source.getName());
	}

}
