package dev.klinika.telephony;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.shared.PhoneNumber;

/**
 * The clinic's numbers (each rings in a branch, and a tracking number carries the ad
 * source and campaign it was bought for to the calls, leads and cards it brings), and
 * which login each PBX extension is.
 */
@Service
@Transactional
class PhoneLines {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final dev.klinika.security.UserManagement users;

	private final dev.klinika.organization.Branches branches;

	private final dev.klinika.patients.PatientSources sources;

	PhoneLines(JdbcClient jdbc, AuditLog audit, dev.klinika.security.UserManagement users,
			dev.klinika.organization.Branches branches, dev.klinika.patients.PatientSources sources) {
		this.branches = branches;
		this.sources = sources;
		this.users = users;
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** A line with the figures of its last 30 days. */
	public record Line(String number, @Nullable Long branchId, @Nullable String branch, @Nullable Long sourceId,
			@Nullable String source, @Nullable String campaign, boolean active, int calls, int missed) {

		public String display() {
			return PhoneNumber.displayOf(this.number);
		}

	}

	@Transactional(readOnly = true)
	public List<Line> lines() {
		return this.jdbc
			.sql("""
					select l.number, l.branch_id, b.name as branch, l.source_id, s.name as source, l.campaign, l.active,
					       (select count(*) from call c where c.line = l.number and c.started_at > now() - interval '30 days') as calls,
					       (select count(*) from call c where c.line = l.number and c.status = 'MISSED' and c.direction = 'IN'
					           and c.started_at > now() - interval '30 days') as missed
					  from phone_line l left join organization_branch_v b on b.id = l.branch_id left join patients_source_v s on s.id = l.source_id
					 order by l.active desc, b.name nulls last, l.number
					""")
			.query(Line.class)
			.list();
	}

	/** A line refused: the reason is a message key suffix (telephony.lines.refused.*). */
	public static class LineRefused extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		public LineRefused(String reason) {
			super(reason);
		}

	}

	/**
	 * Adds or changes a line. The number in any format becomes E.164; calls already made
	 * keep the branch and source they had.
	 */
	public String save(String number, @Nullable Long branch, @Nullable Long source, @Nullable String campaign,
			boolean active) {
		String e164 = PhoneNumber.parse(number == null ? "" : number)
			.map(PhoneNumber::e164)
			.orElseThrow(() -> new LineRefused("NUMBER"));
		if (campaign != null && campaign.length() > 200) {
			throw new LineRefused("CAMPAIGN");
		}
		if (branch != null && !this.branches.existsById(branch) || source != null && !this.sources.existsById(source)) {
			throw new LineRefused("UNKNOWN");
		}
		this.jdbc.sql("""
				insert into phone_line (number, branch_id, source_id, campaign, active)
				values (:number, :branch, :source, :campaign, :active)
				on conflict (number) do update set branch_id = excluded.branch_id, source_id = excluded.source_id,
				       campaign = excluded.campaign, active = excluded.active
				""")
			.param("number", e164)
			.param("branch", branch)
			.param("source", source)
			.param("campaign", campaign == null || campaign.isBlank() ? null : campaign.strip())
			.param("active", active)
			.update();
		this.audit.record("PHONE_LINE_SAVED", "phone_line", null, e164);
		return e164;
	}

	/** A PBX extension (or employee name) and the login it is. */
	public record Extension(String pbxId, String username) {
	}

	@Transactional(readOnly = true)
	public List<Extension> extensions() {
		return this.jdbc.sql("select pbx_id, username from pbx_employee order by pbx_id").query(Extension.class).list();
	}

	/**
	 * Extensions the PBX named on calls of the last 90 days that no login is mapped to:
	 * the reports can only show them as numbers until someone maps them.
	 */
	public List<String> unmappedExtensions() {
		return this.jdbc.sql("""
				select distinct c.employee from call c
				 where c.employee is not null and c.started_at > now() - interval '90 days'
				   and not exists (select 1 from pbx_employee e where e.pbx_id = c.employee)
				 order by 1 limit 50
				""").query(String.class).list();
	}

	/** Maps an extension to a login; an empty login removes the mapping. */
	public void extension(String pbxId, @Nullable String username) {
		String id = pbxId == null ? "" : pbxId.strip();
		if (id.isEmpty() || id.length() > 100) {
			throw new LineRefused("EXTENSION");
		}
		if (username == null || username.isBlank()) {
			this.jdbc.sql("delete from pbx_employee where pbx_id = :id").param("id", id).update();
			return;
		}
		if (!this.users.usernameTaken(username.strip(), null)) {
			throw new LineRefused("LOGIN");
		}
		this.jdbc.sql("""
				insert into pbx_employee (pbx_id, username) values (:id, :u)
				on conflict (pbx_id) do update set username = excluded.username
				""").param("id", id).param("u", username.strip()).update();
		this.audit.record("PBX_EXTENSION_SAVED", "pbx_employee", null, id + " = " + username.strip());
	}

}
