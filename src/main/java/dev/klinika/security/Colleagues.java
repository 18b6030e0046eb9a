package dev.klinika.security;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The people a task or a patient can be given to in a branch: enabled logins of the
 * branch, and the network-wide ones; never a dismissed staff member.
 */
@Component
@Transactional(readOnly = true)
public class Colleagues {

	/**
	 * Logins that can work: enabled, and not of a dismissed staff member (the directory
	 * says who still works).
	 */
	private static final String ACTIVE = """
			app_user u where u.enabled and (u.staff_id is null or u.staff_id in (:active))
			""";

	private final JdbcClient jdbc;

	private final Directory directory;

	Colleagues(JdbcClient jdbc, Directory directory) {
		this.jdbc = jdbc;
		this.directory = directory;
	}

	/** The ids of staff members still working, never empty (an empty list is no SQL). */
	private List<Long> activeStaff() {
		List<Long> ids = this.directory.activeStaff().stream().map(Directory.Entry::id).toList();
		return ids.isEmpty() ? List.of(-1L) : ids;
	}

	/** A colleague as a choice. */
	public record Colleague(long id, String name) {
	}

	/** Whether a login can still be given work. */
	public boolean isActive(long userId) {
		return this.jdbc.sql("select count(*) > 0 from " + ACTIVE + " and u.id = :id")
			.param("id", userId)
			.param("active", activeStaff())
			.query(Boolean.class)
			.single();
	}

	/**
	 * Whether a login works in the branch (or in every branch: owners and managers), so
	 * that work of that branch, and the patient it names, may be given to them.
	 */
	public boolean worksIn(long userId, long branchId) {
		return of(branchId).stream().anyMatch(colleague -> colleague.id() == userId);
	}

	/**
	 * The full names of logins, for screens that show who did something: a login not
	 * found (a PBX extension nobody mapped, "callback", "pbx") is left out.
	 */
	public java.util.Map<String, String> names(java.util.Collection<String> usernames) {
		if (usernames.isEmpty()) {
			return java.util.Map.of();
		}
		java.util.Map<String, String> names = new java.util.HashMap<>();
		this.jdbc.sql("select username, full_name from app_user where username in (:names)")
			.param("names", List.copyOf(usernames))
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
			.list()
			.forEach(entry -> names.put(entry.getKey(), entry.getValue()));
		return names;
	}

	public List<Colleague> of(long branchId) {
		return this.jdbc.sql("select u.id, u.full_name from " + ACTIVE + """
				   and (exists (select 1 from user_branch ub where ub.user_id = u.id and ub.branch_id = :branch)
				        or exists (select 1 from user_role r where r.user_id = u.id and r.role in ('OWNER', 'MANAGER')))
				 order by u.full_name
				""")
			.param("branch", branchId)
			.param("active", activeStaff())
			.query((rs, n) -> new Colleague(rs.getLong(1), rs.getString(2)))
			.list();
	}

}
