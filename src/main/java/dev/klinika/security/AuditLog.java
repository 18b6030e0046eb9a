package dev.klinika.security;

import java.time.OffsetDateTime;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The append-only record of who saw or changed what, when and from where. Entries join
 * the caller's transaction: a change that rolls back leaves no entry, and an entry is
 * never lost for a change that stays.
 */
@Component
public class AuditLog {

	static final int MAX_DETAILS = 4000;

	private final JdbcClient jdbc;

	private final CurrentUser currentUser;

	AuditLog(JdbcClient jdbc, CurrentUser currentUser) {
		this.jdbc = jdbc;
		this.currentUser = currentUser;
	}

	/** Records an action of the logged-in user (or "system" outside a request). */
	public void record(String action, String recordType, @Nullable Object recordId, @Nullable String details) {
		String actor = this.currentUser.actor();
		String ip = CurrentUser.request().map(request -> request.getRemoteAddr()).orElse(null);
		record(actor, ip, action, recordType, recordId, details);
	}

	/**
	 * Records an action on behalf of a named actor, e.g. a login attempt before
	 * authentication.
	 */
	public void record(@Nullable String actor, @Nullable String ip, String action, @Nullable String recordType,
			@Nullable Object recordId, @Nullable String details) {
		this.jdbc.sql("""
				insert into audit_log (actor, action, record_type, record_id, details, ip)
				values (:actor, :action, :recordType, :recordId, :details, :ip)
				""")
			.param("actor", truncate(actor, 50))
			.param("action", action)
			.param("recordType", recordType)
			.param("recordId", recordId == null ? null : truncate(recordId.toString(), 40))
			.param("details", truncate(details, MAX_DETAILS))
			.param("ip", truncate(ip, 45))
			.update();
	}

	/** Entries matching a filter, newest first, one page at a time. */
	public List<Entry> search(Filter filter, int offset, int limit) {
		var where = new ArrayList<String>();
		var sql = new StringBuilder("select id, at, actor, action, record_type, record_id, details, ip from audit_log");
		if (filter.actor() != null) {
			where.add("lower(actor) = lower(:actor)");
		}
		if (filter.action() != null) {
			where.add("action = :action");
		}
		if (filter.recordType() != null) {
			where.add("record_type = :recordType");
		}
		if (filter.recordId() != null) {
			where.add("record_id = :recordId");
		}
		if (filter.from() != null) {
			where.add("at >= :from");
		}
		if (filter.to() != null) {
			where.add("at < :to");
		}
		if (!where.isEmpty()) {
			sql.append(" where ").append(String.join(" and ", where));
		}
		sql.append(" order by at desc, id desc offset :offset limit :limit");
		var statement = this.jdbc.sql(sql.toString())
			.param("actor", filter.actor())
			.param("action", filter.action())
			.param("recordType", filter.recordType())
			.param("recordId", filter.recordId())
			.param("from", filter.from() == null ? null : filter.from().atStartOfDay(filter.zone()).toOffsetDateTime())
			.param("to",
					filter.to() == null ? null : filter.to().plusDays(1).atStartOfDay(filter.zone()).toOffsetDateTime())
			.param("offset", offset)
			.param("limit", limit);
		return statement.query(Entry.class).list();
	}

	private static @Nullable String truncate(@Nullable String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

	/** One line of the audit log. */
	public record Entry(long id, OffsetDateTime at, @Nullable String actor, String action, @Nullable String recordType,
			@Nullable String recordId, @Nullable String details, @Nullable String ip) {
	}

	/** What to look for; every part is optional. */
	public record Filter(@Nullable String actor, @Nullable String action, @Nullable String recordType,
			@Nullable String recordId, @Nullable LocalDate from, @Nullable LocalDate to, ZoneId zone) {
	}

}
