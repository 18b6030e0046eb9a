package dev.klinika.tasks;

import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Closes the work a clinic's past left open after its visits went through the rules
 * ({@link RuleTriggers#replay}): calls about visits more than two days old, and recalls
 * that fell due before then, were done; a recall whose patient booked the service again
 * since was ended by that booking. Used by the demo's history.
 */
@Component
public class TaskHistory {

	private final JdbcClient jdbc;

	TaskHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Closes the past work as of {@code now}; answers how many tasks it closed. */
	@Transactional
	public int closePast(Instant now) {
		int closed = this.jdbc
			.sql("""
					update task t set status = 'DONE', closed_by = 'admin',
					       closed_at = case when t.kind = 'BOOK' then t.due_at
					                        else (select lower(a.during) + interval '2 hours' from scheduling_appointment_v a where a.id = t.cause_id) end,
					       outcome = case when t.kind = 'BOOK' and t.id % 10 < 6 then 'Пригласили, обещал(а) перезвонить'
					                      when t.kind = 'BOOK' then 'Не берёт трубку, написали в мессенджер'
					                      when t.id % 10 < 7 then 'Дозвонились, перенесли визит'
					                      when t.id % 10 < 9 then 'Дозвонились, пока не готов(а) записаться'
					                      else 'Не берёт трубку, написали в мессенджер' end
					 where t.status = 'OPEN' and t.cause_type = 'appointment'
					   and ((t.kind = 'BOOK' and (select lower(a.during) + cast(sv.repeat_interval as interval) - interval '14 days'
					                               from scheduling_appointment_v a join catalog_service_v sv on sv.id = a.service_id
					                              where a.id = t.cause_id) < :cutoff)
					        or (t.kind <> 'BOOK' and exists (select 1 from scheduling_appointment_v a where a.id = t.cause_id
					                                          and lower(a.during) < :cutoff)))
					""")
			.param("cutoff",
					java.time.OffsetDateTime.ofInstant(now.minus(Duration.ofDays(2)), java.time.ZoneOffset.UTC))
			.update();
		// A recall whose patient booked the service again since was ended by that
		// booking (the demo's bookings were written without their events).
		closed += this.jdbc
			.sql("""
					with ended as (
					  select t.id, lower(c.during) as visit, (select lower(a.during) from scheduling_appointment_v a
					           where a.patient_id = t.patient_id and a.service_id = t.service_id
					             and a.holds_time and lower(a.during) > lower(c.during)
					           order by lower(a.during) limit 1) as next, b.time_zone
					    from tasks_task_v t join scheduling_appointment_v c on c.id = t.cause_id join organization_branch_v b on b.id = c.branch_id
					   where t.status = 'OPEN' and t.kind = 'BOOK' and t.cause_type = 'appointment')
					update task t set status = 'DONE', closed_by = 'admin',
					       closed_at = least(:now, e.visit + interval '1 day'),
					       outcome = 'Записан на ' || to_char(e.next at time zone e.time_zone, 'DD.MM.YYYY HH24:MI')
					  from ended e where e.id = t.id and e.next is not null
					""")
			.param("now", java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC))
			.update();
		return closed;
	}

}
