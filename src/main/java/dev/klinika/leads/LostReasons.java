package dev.klinika.leads;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;

/**
 * The clinic's list of reasons a lead was lost: added, renamed, put out of use (a reason
 * in use by old leads is never deleted, so the reports keep it).
 */
@Service
@Transactional
class LostReasons {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	LostReasons(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	public long add(String name) {
		String text = valid(name);
		try {
			long id = this.jdbc
				.sql("""
						insert into lost_reason (name, position) values (:name, (select coalesce(max(position), 0) + 1 from lost_reason))
						returning id
						""")
				.param("name", text)
				.query(Long.class)
				.single();
			this.audit.record("LOST_REASON_ADDED", "lost_reason", id, text);
			return id;
		}
		catch (DuplicateKeyException ex) {
			throw new Leads.LeadRefused("REASON_EXISTS");
		}
	}

	public void change(long id, String name, boolean active) {
		String text = valid(name);
		try {
			int changed = this.jdbc.sql("update lost_reason set name = :name, active = :active where id = :id")
				.param("name", text)
				.param("active", active)
				.param("id", id)
				.update();
			if (changed == 0) {
				throw new Leads.LeadRefused("NOT_FOUND");
			}
		}
		catch (DuplicateKeyException ex) {
			throw new Leads.LeadRefused("REASON_EXISTS");
		}
		this.audit.record("LOST_REASON_CHANGED", "lost_reason", id, text + (active ? "" : " (off)"));
	}

	private static String valid(String name) {
		String text = name == null ? "" : name.strip();
		if (text.isEmpty() || text.length() > 100) {
			throw new Leads.LeadRefused("REASON_NAME");
		}
		return text;
	}

}
