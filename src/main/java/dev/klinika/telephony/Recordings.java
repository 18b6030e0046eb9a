package dev.klinika.telephony;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.BranchScope;

/**
 * Where a call's recording is, for a login that may hear it: the vendor's link of a call
 * in the login's branches (or of a line no branch owns). Each listening is written to the
 * audit log: a recording is a patient's personal data.
 */
@Service
@Transactional
public class Recordings {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	Recordings(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** The recording's link, audited, when the call is the login's to hear. */
	public Optional<String> open(long call, BranchScope scope) {
		Optional<String> link = this.jdbc
			.sql("""
					select recording_url from call
					 where id = :id and recording_url like 'http%' and (:all or branch_id is null or branch_id in (:branches))
					""")
			.param("id", call)
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query(String.class)
			.optional();
		link.ifPresent(url -> this.audit.record("CALL_RECORDING_PLAYED", "call", call, null));
		return link;
	}

}
