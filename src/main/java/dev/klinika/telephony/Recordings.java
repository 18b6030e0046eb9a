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
class Recordings {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final TelephonyProperties properties;

	Recordings(JdbcClient jdbc, AuditLog audit, TelephonyProperties properties) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.properties = properties;
	}

	/** A recording's address Klinika will not fetch. */
	public static class AddressRefused extends RuntimeException {

		private static final long serialVersionUID = 1L;

		AddressRefused(String message) {
			super(message);
		}

	}

	/**
	 * Whether Klinika may fetch from this address: http(s) only, and not this machine, a
	 * link-local address (a cloud's metadata service) or a wildcard, unless the host is
	 * listed in {@code klinika.telephony.recording-hosts}. A PBX's link could otherwise
	 * make the server fetch its own neighbours for whoever plays the "recording".
	 */
	public java.net.URI check(String link) {
		java.net.URI uri;
		try {
			uri = java.net.URI.create(link);
		}
		catch (IllegalArgumentException ex) {
			throw new AddressRefused("not an address");
		}
		String host = uri.getHost();
		if (host == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
			throw new AddressRefused("only http(s) addresses");
		}
		if (this.properties.recordingHosts().stream().anyMatch(host::equalsIgnoreCase)) {
			return uri;
		}
		try {
			for (java.net.InetAddress address : java.net.InetAddress.getAllByName(host)) {
				if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
						|| address.isMulticastAddress()) {
					throw new AddressRefused(host + " is this machine or link-local");
				}
			}
		}
		catch (java.net.UnknownHostException ex) {
			throw new AddressRefused(host + " is unknown");
		}
		return uri;
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
