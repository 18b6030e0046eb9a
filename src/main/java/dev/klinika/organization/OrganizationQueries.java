package dev.klinika.organization;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.security.BranchScope;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.PhoneNumber;

/**
 * Lists of branches and staff as screens show them, always within the current login's
 * branches.
 */
@Component
public class OrganizationQueries {

	private final JdbcClient jdbc;

	private final CurrentUser currentUser;

	OrganizationQueries(JdbcClient jdbc, CurrentUser currentUser) {
		this.jdbc = jdbc;
		this.currentUser = currentUser;
	}

	/** Branches in the login's scope with how many staff and rooms each has. */
	public List<BranchRow> branches() {
		BranchScope scope = this.currentUser.scope();
		return this.jdbc.sql("""
				select b.id, b.name, b.address, b.phone, b.time_zone, b.active,
				       (select count(*) from staff_branch sb join staff s on s.id = sb.staff_id
				         where sb.branch_id = b.id and s.dismissed_on is null) as staff_count,
				       (select count(*) from room r where r.branch_id = b.id and r.active) as room_count
				  from branch b
				 where (:all or b.id in (:ids))
				 order by b.active desc, lower(b.name)
				""").param("all", scope.all()).param("ids", scope.idsForSql()).query(BranchRow.class).list();
	}

	/** Open branches the login may work in, for the branch switcher and forms. */
	/** Every branch's name by id, closed ones too (a card keeps its home branch). */
	public java.util.Map<Long, String> branchNames() {
		java.util.Map<Long, String> names = new java.util.HashMap<>();
		this.jdbc.sql("select id, name from branch").query((rs, n) -> names.put(rs.getLong(1), rs.getString(2))).list();
		return names;
	}

	public List<BranchOption> branchOptions() {
		return branchOptions(this.currentUser.scope());
	}

	/**
	 * One of the login's open branches by id; another branch does not exist for it.
	 */
	public java.util.Optional<BranchOption> branchOption(long id) {
		return branchOptions().stream().filter(branch -> branch.id() == id).findFirst();
	}

	/**
	 * The time zone screens show times in: the branch chosen in the top bar, else the
	 * login's first branch, else the given fallback.
	 */
	public ZoneId workingZone(java.util.Optional<Long> selected, ZoneId fallback) {
		return selected.flatMap(this::branchOption)
			.or(() -> branchOptions().stream().findFirst())
			.map(BranchOption::zone)
			.orElse(fallback);
	}

	/**
	 * The clinic's first open branch (the oldest): where work goes that no branch claims
	 * (a call to a number no line lists, a lead from the website without a branch).
	 */
	public java.util.Optional<Long> mainBranch() {
		return this.jdbc.sql("select min(id) from branch where active").query(Long.class).optional();
	}

	public List<BranchOption> branchOptions(BranchScope scope) {
		return this.jdbc.sql("""
				select id, name, time_zone from branch
				 where active and (:all or id in (:ids))
				 order by lower(name)
				""")
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.query((rs, row) -> new BranchOption(rs.getLong("id"), rs.getString("name"),
					ZoneId.of(rs.getString("time_zone"))))
			.list();
	}

	/** Staff members' full names by id, for screens that list them beside other data. */
	public java.util.Map<Long, String> staffNames(java.util.Collection<Long> ids) {
		java.util.Map<Long, String> names = new java.util.HashMap<>();
		if (!ids.isEmpty()) {
			this.jdbc.sql("select id, full_name from organization_staff_v where id in (:ids)")
				.param("ids", ids)
				.query((rs, n) -> names.put(rs.getLong(1), rs.getString(2)))
				.list();
		}
		return names;
	}

	/**
	 * Staff who work in the given branches, filtered by specialty and by a piece of the
	 * name, position, phone or email. Staff with no branch yet are shown to network-wide
	 * logins only.
	 */
	public List<StaffRow> staff(BranchScope scope, @Nullable Long specialtyId, @Nullable String text,
			boolean includeDismissed) {
		String like = text == null || text.isBlank() ? null : "%"
				+ text.trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
				+ "%";
		return this.jdbc
			.sql("""
					select s.id, s.surname, s.name, s.patronymic, s.position, s.phone, s.email, s.dismissed_on,
					       coalesce((select string_agg(sp.name, ', ' order by sp.name) from staff_specialty ss
					                   join specialty sp on sp.id = ss.specialty_id where ss.staff_id = s.id), '') as specialties,
					       coalesce((select string_agg(b.name, ', ' order by b.name) from staff_branch sb
					                   join branch b on b.id = sb.branch_id where sb.staff_id = s.id), '') as branches
					  from staff s
					 where (:all or exists (select 1 from staff_branch sb where sb.staff_id = s.id and sb.branch_id in (:ids)))
					   and (:specialty::bigint is null
					        or exists (select 1 from staff_specialty ss where ss.staff_id = s.id and ss.specialty_id = :specialty))
					   and (:like::text is null or lower(s.surname || ' ' || s.name || ' ' || coalesce(s.patronymic, '')
					        || ' ' || s.position || ' ' || coalesce(s.phone, '') || ' ' || coalesce(s.email, '')) like :like)
					   and (:includeDismissed or s.dismissed_on is null)
					 order by s.dismissed_on nulls first, lower(s.surname), lower(s.name)
					""")
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.param("specialty", specialtyId)
			.param("like", like)
			.param("includeDismissed", includeDismissed)
			.query((rs, row) -> new StaffRow(rs.getLong("id"),
					String
						.join(" ", rs.getString("surname"), rs.getString("name"),
								rs.getString("patronymic") == null ? "" : rs.getString("patronymic"))
						.trim(),
					rs.getString("position"),
					rs.getString("phone") == null ? null : new PhoneNumber(rs.getString("phone")).display(),
					rs.getString("email"), rs.getString("specialties"), rs.getString("branches"),
					rs.getDate("dismissed_on") == null))
			.list();
	}

	/** A branch in a list. */
	public record BranchRow(long id, String name, String address, @Nullable String phone, String timeZone,
			boolean active, long staffCount, long roomCount) {

		public @Nullable String phoneDisplay() {
			return this.phone == null ? null : new PhoneNumber(this.phone).display();
		}

	}

	/** A branch to choose. */
	public record BranchOption(long id, String name, ZoneId zone) {
	}

	/** A staff member in a list. */
	public record StaffRow(long id, String fullName, String position, @Nullable String phone, @Nullable String email,
			String specialties, String branches, boolean active) {
	}

}
