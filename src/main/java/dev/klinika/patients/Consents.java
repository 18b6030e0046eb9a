package dev.klinika.patients;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;

/**
 * Consents under 152-FZ, kept with their proof and never deleted: a withdrawal ends a
 * consent on a date. {@link #marketingAllowed} is the one question every sender of
 * marketing asks.
 */
@Service
@Transactional
public class Consents {

	private final JdbcClient jdbc;

	private final CardHistory history;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final Clock clock;

	Consents(JdbcClient jdbc, CardHistory history, AuditLog audit, CurrentUser currentUser, Clock clock) {
		this.jdbc = jdbc;
		this.history = history;
		this.audit = audit;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	/**
	 * Records a consent given at a moment (not in the future) through a channel, with its
	 * proof.
	 */
	public long give(long patientId, ConsentKind kind, Instant givenAt, ConsentChannel channel,
			@Nullable String proof) {
		if (givenAt.isAfter(this.clock.instant())) {
			throw new IllegalArgumentException("A consent cannot be given in the future: " + givenAt);
		}
		long id = this.jdbc.sql("""
				insert into patient_consent (patient_id, kind, given_at, channel, proof, recorded_by)
				values (:p, :kind, :at, :channel, :proof, :by) returning id
				""")
			.param("p", patientId)
			.param("kind", kind.name())
			.param("at", givenAt.atOffset(ZoneOffset.UTC))
			.param("channel", channel.name())
			.param("proof", proof == null || proof.isBlank() ? null : proof.trim())
			.param("by", this.currentUser.actor())
			.query(Long.class)
			.single();
		this.history.add(patientId, "CONSENT_GIVEN", kind + " " + channel + (proof == null ? "" : " " + proof));
		this.audit.record("CONSENT_GIVEN", "patient", patientId, kind + " " + channel);
		return id;
	}

	/** Ends a live consent now; withdrawing twice changes nothing. */
	public void withdraw(long patientId, long consentId) {
		int changed = this.jdbc.sql("""
				update patient_consent set withdrawn_at = :now
				 where id = :id and patient_id = :p and withdrawn_at is null
				""")
			.param("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.param("id", consentId)
			.param("p", patientId)
			.update();
		if (changed == 1) {
			String kind = this.jdbc.sql("select kind from patient_consent where id = :id")
				.param("id", consentId)
				.query(String.class)
				.single();
			this.history.add(patientId, "CONSENT_WITHDRAWN", kind);
			this.audit.record("CONSENT_WITHDRAWN", "patient", patientId, kind);
		}
	}

	@Transactional(readOnly = true)
	public List<Consent> of(long patientId) {
		return this.jdbc.sql("""
				select id, kind, given_at, channel, proof, withdrawn_at, recorded_by from patient_consent
				 where patient_id = :p order by given_at desc, id desc
				""").param("p", patientId).query(Consent.class).list();
	}

	/**
	 * Whether the patient may receive marketing now: a marketing consent given and not
	 * withdrawn.
	 */
	@Transactional(readOnly = true)
	public boolean marketingAllowed(long patientId) {
		return !marketingAllowed(Set.of(patientId)).isEmpty();
	}

	/** Of these patients, those who may receive marketing now. */
	@Transactional(readOnly = true)
	public Set<Long> marketingAllowed(Collection<Long> patientIds) {
		if (patientIds.isEmpty()) {
			return Set.of();
		}
		return this.jdbc.sql("""
				select distinct c.patient_id from patient_consent c join patient p on p.id = c.patient_id
				 where c.patient_id in (:ids) and c.kind = 'MARKETING' and c.given_at <= now()
				   and c.withdrawn_at is null and p.merged_into is null and p.erased_at is null
				""").param("ids", patientIds).query(Long.class).list().stream().collect(Collectors.toSet());
	}

	/** A consent as the card shows it. */
	public record Consent(long id, ConsentKind kind, OffsetDateTime givenAt, ConsentChannel channel,
			@Nullable String proof, @Nullable OffsetDateTime withdrawnAt, @Nullable String recordedBy) {

		public boolean isLive() {
			return this.withdrawnAt == null;
		}

	}

}
