package dev.klinika.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.tasks.RuleTriggers;

/**
 * The demo clinic's tasks: its year of visits passes through the automation rules in the
 * background after the first start (a year takes under a minute; the app is usable
 * meanwhile), then the staff's past work is played: tasks due more than two days ago are
 * done, most with a booking, some unanswered. What is left open is today's work. A start
 * stopped before it finished does it again at the next start (replaying is idempotent:
 * what fired before fires nothing).
 */
@Component
class TasksDemo {

	private static final Logger log = LoggerFactory.getLogger(TasksDemo.class);

	private final RuleTriggers automation;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final boolean enabled;

	TasksDemo(RuleTriggers automation, JdbcClient jdbc, Clock clock,
			@Value("${klinika.demo.task-history:true}") boolean enabled) {
		this.automation = automation;
		this.jdbc = jdbc;
		this.clock = clock;
		this.enabled = enabled;
	}

	static final String STEP = "task-history";

	void startInBackground() {
		if (!this.enabled) {
			return;
		}
		Thread thread = new Thread(this::generate, "demo-tasks");
		thread.setDaemon(true);
		thread.start();
	}

	/** Whether the history was played to its end on this database. */
	boolean finished() {
		return this.jdbc.sql("select count(*) from demo_progress where step = :step")
			.param("step", STEP)
			.query(Integer.class)
			.single() > 0;
	}

	/** Plays the history again after a start that was stopped before it finished. */
	void resumeIfUnfinished() {
		if (this.enabled && !finished()) {
			log.info("Demo tasks: the last start stopped before the task history was finished; playing it again");
			startInBackground();
		}
	}

	void generate() {
		try {
			Instant now = this.clock.instant();
			RuleTriggers.Replay replay = this.automation.replay(now.minus(Duration.ofDays(3650)), now);
			// Past work: calls about visits more than two days old, and recalls that fell
			// due before that, were done; a recall's due date is its visit plus the
			// service's repeat interval, less two weeks.
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
						             and a.status <> 'CANCELLED' and lower(a.during) > lower(c.during)
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
			this.jdbc.sql("insert into demo_progress (step) values (:step) on conflict do nothing")
				.param("step", STEP)
				.update();
			log.info("Demo tasks: {} visits through the rules in {} s, {} firings; {} past tasks closed as done",
					replay.visits(), replay.took().toSeconds(), replay.firings(), closed);
		}
		catch (RuntimeException ex) {
			log.warn("Demo tasks were not generated: {}", ex.getMessage());
		}
	}

}
