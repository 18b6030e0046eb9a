package dev.klinika.scheduling;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Picks, from the demo schedule, a staff member on the weekly 9-13, 14-18 pattern, their
 * branch and a short active service of their specialty: what the scheduling tests book
 * with.
 */
public record DemoSchedule(long staff, long branch, long service) {

	/**
	 * The {@code nth} such staff member counted from the lowest id (or from the highest,
	 * so that tests booking in parallel keep to different people), optionally only in the
	 * branches of a demo login (null: any branch).
	 */
	public static DemoSchedule weeklyStaff(JdbcClient jdbc, String login, int nth, boolean fromHighest) {
		var row = jdbc.sql("""
				select p.staff_id, p.branch_id, min(s.id) as service
				  from work_pattern p
				  join work_pattern_day d on d.work_pattern_id = p.id and d.day_index = 0 and d.starts = '09:00'
				  join staff_specialty ss on ss.staff_id = p.staff_id
				  join service s on s.specialty_id = ss.specialty_id and s.active and s.duration_minutes <= 45
				 where p.cycle_days = 7
				   and (cast(:login as text) is null or p.branch_id in (select ub.branch_id from user_branch ub
				        join app_user u on u.id = ub.user_id where u.username = :login))
				 group by p.staff_id, p.branch_id order by p.staff_id * :direction offset :nth limit 1
				""")
			.param("login", login)
			.param("nth", nth)
			.param("direction", fromHighest ? -1 : 1)
			.query()
			.singleRow();
		return new DemoSchedule(((Number) row.get("staff_id")).longValue(), ((Number) row.get("branch_id")).longValue(),
				((Number) row.get("service")).longValue());
	}

}
