package dev.klinika.tasks;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;

/**
 * Recurring tasks: the next run on the right weekday or month day in the branch's zone,
 * one task per due run however often the job runs, and the job registered with
 * db-scheduler.
 */
@KlinikaTest
class TaskTemplatesTests {

	static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

	@Autowired
	TaskTemplates templates;

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Test
	void nextRunsFallOnTheRightDays() {
		Instant wednesday = LocalDate.of(2026, 12, 2).atTime(12, 0).atZone(MOSCOW).toInstant();
		assertThat(TaskTemplates.next(TaskTemplates.Recurrence.WEEKLY, 1, LocalTime.of(10, 0), MOSCOW, wednesday))
			.isEqualTo(LocalDate.of(2026, 12, 7).atTime(10, 0).atZone(MOSCOW).toInstant());
		assertThat(TaskTemplates.next(TaskTemplates.Recurrence.DAILY, null, LocalTime.of(13, 0), MOSCOW, wednesday))
			.isEqualTo(LocalDate.of(2026, 12, 2).atTime(13, 0).atZone(MOSCOW).toInstant());
		Instant january = LocalDate.of(2027, 1, 31).atTime(12, 0).atZone(MOSCOW).toInstant();
		assertThat(TaskTemplates.next(TaskTemplates.Recurrence.MONTHLY, 31, LocalTime.of(9, 0), MOSCOW, january))
			.isEqualTo(LocalDate.of(2027, 2, 28).atTime(9, 0).atZone(MOSCOW).toInstant());
	}

	@Test
	void aDueTemplateMakesOneTaskAndPlansItsNextRun() throws Exception {
		long branch = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
		String title = "Обзвонить неявки недели " + System.nanoTime();
		this.mvc
			.perform(post("/tasks/rules/templates").with(this.logins.as("manager"))
				.with(csrf())
				.param("title", title)
				.param("kind", "CALL_BACK")
				.param("branch", String.valueOf(branch))
				.param("ownerRole", "ADMIN")
				.param("recurrence", "WEEKLY")
				.param("weekday", "1")
				.param("at", "10:00"))
			.andExpect(flash().attribute("flashKey", "flash.saved"));
		this.mvc
			.perform(post("/tasks/rules/templates").with(this.logins.as("manager"))
				.with(csrf())
				.param("title", "Без дня")
				.param("kind", "CALL_BACK")
				.param("branch", String.valueOf(branch))
				.param("ownerRole", "ADMIN")
				.param("recurrence", "MONTHLY")
				.param("monthDay", "40")
				.param("at", "10:00"))
			.andExpect(flash().attribute("flashErrorKey", "task.refused.RECURRENCE"));
		long id = this.jdbc.sql("select id from task_template where title = :title")
			.param("title", title)
			.query(Long.class)
			.single();
		// As if the server had slept through three Mondays.
		this.jdbc.sql("update task_template set next_run_at = now() - interval '20 days' where id = :id")
			.param("id", id)
			.update();
		this.templates.runDue();
		this.templates.runDue();
		assertThat(this.jdbc.sql("select count(*) from task where cause_type = 'template' and cause_id = :id")
			.param("id", id)
			.query(Integer.class)
			.single()).isEqualTo(1);
		Instant next = this.templates.list().stream().filter(t -> t.id() == id).findFirst().orElseThrow().nextRunAt();
		assertThat(next).isAfter(Instant.now());
		assertThat(next.atZone(MOSCOW).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
		assertThat(next.atZone(MOSCOW).toLocalTime()).isEqualTo(LocalTime.of(10, 0));
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.sql("select count(*) from scheduled_tasks where task_name = 'task-templates'")
				.query(Integer.class)
				.single() == 1);
	}

}
