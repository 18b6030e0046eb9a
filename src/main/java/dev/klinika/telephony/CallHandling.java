package dev.klinika.telephony;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;

import dev.klinika.security.ScopedRecords;
import dev.klinika.tasks.Tasks;

/**
 * What the reception records about a call: handled (a missed call dealt with some other
 * way; its callback task is done), and an outcome tag with a comment.
 */
@Service
@Transactional
public class CallHandling {

	/** Outcome tags a call can get. */
	public static final List<String> OUTCOMES = List.of("BOOKED", "PRICE", "RESCHEDULE", "CANCEL", "RESULTS",
			"COMPLAINT", "WRONG_NUMBER", "SPAM", "OTHER");

	private final JdbcClient jdbc;

	private final Tasks tasks;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final ScopedRecords scoped;

	CallHandling(JdbcClient jdbc, Tasks tasks, AuditLog audit, CurrentUser currentUser, ScopedRecords scoped) {
		this.jdbc = jdbc;
		this.scoped = scoped;
		this.tasks = tasks;
		this.audit = audit;
		this.currentUser = currentUser;
	}

	/** Where a call belongs: its line's branch, or none (every login's). */
	static final String BRANCH_OF_CALL = "select branch_id from call where id = :id";

	/** A call of the login's branches (or of no branch), else {@code NotInScope}. */
	public void requireVisible(long call) {
		this.scoped.requireOrUnowned("call", call, BRANCH_OF_CALL);
	}

	/** Where a call came in: its branch and the ad source and campaign of its line. */
	public record Origin(@Nullable Long branchId, @Nullable Long sourceId, @Nullable String campaign) {
	}

	/** A call of the login's branches (or of no branch) and where it came in. */
	public Origin origin(long call) {
		requireVisible(call);
		return this.jdbc.sql("select branch_id, source_id, campaign from call where id = :id")
			.param("id", call)
			.query((rs, n) -> new Origin((Long) rs.getObject("branch_id"), (Long) rs.getObject("source_id"),
					rs.getString("campaign")))
			.single();
	}

	public void handled(long call) {
		requireVisible(call);
		int changed = this.jdbc
			.sql("update call set handled_at = now(), handled_by = :by where id = :id and handled_at is null")
			.param("by", this.currentUser.actor())
			.param("id", call)
			.update();
		if (changed == 1) {
			this.tasks.closeByCause("call", List.of(call), Tasks.Outcome.HANDLED);
			this.audit.record("CALL_HANDLED", "call", call, null);
		}
	}

	/** Tags the call; an unknown tag or a comment over 1000 characters is refused. */
	public void tag(long call, String outcome, @Nullable String comment) {
		if (!OUTCOMES.contains(outcome) || (comment != null && comment.length() > 1000)) {
			throw new IllegalArgumentException("outcome " + outcome);
		}
		requireVisible(call);
		this.jdbc.sql("update call set outcome = :outcome, comment = :comment where id = :id")
			.param("outcome", outcome)
			.param("comment", comment == null || comment.isBlank() ? null : comment.strip())
			.param("id", call)
			.update();
		this.audit.record("CALL_TAGGED", "call", call, outcome);
	}

}
