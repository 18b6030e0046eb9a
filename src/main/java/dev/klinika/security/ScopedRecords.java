package dev.klinika.security;

import java.util.NoSuchElementException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one check of a branch-owned record named by id in a URL, a form or a JSON body. The
 * owning module says where the record belongs (a statement of its own table that selects
 * the record's branch, or branches, by {@code :id}); a record that is not there, or not
 * in a branch of the login, is {@link NotInScope}: answered 404, before anything changes.
 */
@Component
public class ScopedRecords {

	private final JdbcClient jdbc;

	private final CurrentUser currentUser;

	ScopedRecords(JdbcClient jdbc, CurrentUser currentUser) {
		this.jdbc = jdbc;
		this.currentUser = currentUser;
	}

	/**
	 * Requires the record to exist in one of the login's branches; a record no branch
	 * owns (a null branch: a call to a number no line lists) is every login's.
	 * @param branchesOf a statement that selects the record's branch ids by {@code :id}
	 */
	public void requireOrUnowned(String what, long id, String branchesOf) {
		if (!visibleOrUnowned(id, branchesOf)) {
			throw new NotInScope(what, id);
		}
	}

	/**
	 * Whether the record is in the login's branches or no branch's, for a form to refuse
	 * it gently.
	 */
	public boolean visibleOrUnowned(long id, String branchesOf) {
		BranchScope scope = this.currentUser.scope();
		return this.jdbc.sql(branchesOf)
			.param("id", id)
			.query((rs, row) -> java.util.Optional.ofNullable(rs.getObject(1, Long.class)))
			.list()
			.stream()
			.anyMatch(branch -> branch.map(scope::includes).orElse(true));
	}

	/** A record of another branch, or none at all: the same answer for both, 404. */
	public static class NotInScope extends NoSuchElementException {

		public NotInScope(String what, long id) {
			super(what + " " + id + " is not in the login's branches");
		}

	}

}
