package dev.klinika.security;

import java.util.List;
import java.util.Set;

/**
 * The branches a login may see. Queries take {@link #all()} and {@link #idsForSql()} as
 * parameters: {@code where (:all or branch_id in (:ids))}.
 */
public record BranchScope(boolean all, Set<Long> ids) {

	public BranchScope {
		ids = Set.copyOf(ids);
	}

	public static BranchScope everything() {
		return new BranchScope(true, Set.of());
	}

	public static BranchScope of(Set<Long> ids) {
		return new BranchScope(false, ids);
	}

	public boolean includes(long branchId) {
		return this.all || this.ids.contains(branchId);
	}

	/**
	 * The scope as an SQL condition on {@code column}: {@code true} for every branch,
	 * else {@code column in (:ids)} (bind {@link #idsForSql()} as {@code ids}). Unlike
	 * {@code (:all or column in (:ids))} it leaves a prepared statement's generic plan
	 * free to use the column's indexes.
	 */
	public String sql(String column) {
		return this.all ? "true" : column + " in (:ids)";
	}

	/**
	 * The ids for an SQL {@code in} list, never empty (an empty list is a syntax error).
	 */
	public List<Long> idsForSql() {
		return this.ids.isEmpty() ? List.of(-1L) : List.copyOf(this.ids);
	}

}
