package dev.klinika.billing;

import java.util.List;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

import dev.klinika.organization.OrganizationQueries.BranchOption;

/**
 * The branch a money screen shows: the one asked for among the login's working branches.
 */
final class WorkingBranch {

	private WorkingBranch() {
	}

	/**
	 * The branch asked for, else the first of the options; a branch not among them does
	 * not exist for the login (404).
	 */
	static BranchOption of(List<BranchOption> options, @Nullable Long branch) {
		return options.stream()
			.filter(o -> branch == null || o.id() == branch)
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("branch " + branch));
	}

}
