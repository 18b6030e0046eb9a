package dev.klinika.browser;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * An admin sets a task from a patient's card, sees it in the top bar and in "mine",
 * completes it with an outcome, and finds it on the patient's timeline; on the board,
 * takes a task and closes it by dragging its card.
 */
class TaskJourneyTests extends BrowserTest {

	@Autowired
	JdbcClient jdbc;

	@Test
	void anAdminSetsATaskFromTheCardAndCompletesIt() {
		long branch = this.jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin'
				""").query(Long.class).single();
		long patient = this.jdbc.sql("""
				select min(id) from patient where home_branch_id = :branch and merged_into is null and erased_at is null
				""").param("branch", branch).query(Long.class).single();
		logIn("admin");
		this.page.navigate(url("/patients/" + patient));
		this.page
			.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
					new com.microsoft.playwright.Page.GetByRoleOptions().setName("Новая задача").setExact(true))
			.click();
		this.page.getByLabel("Задача").fill("Уточнить результаты МРТ");
		this.page.locator("#task-form button[type=submit]").click();
		assertThat(this.page.locator("h1")).hasText("Уточнить результаты МРТ");
		assertThat(this.page.locator("#task-counter")).isVisible();

		// "Mine" lists the most urgent first, 50 to a page: late in the day the tasks
		// that
		// came due before it fill the first pages.
		int page = 0;
		this.page.navigate(url("/tasks"));
		while (!this.page.locator("#tasks").textContent().contains("Уточнить результаты МРТ") && page < 20) {
			this.page.navigate(url("/tasks?page=" + ++page));
		}
		assertThat(this.page.locator("#tasks")).containsText("Уточнить результаты МРТ");
		screenshot("tasks-1920");
		this.page
			.locator("#tasks a",
					new com.microsoft.playwright.Page.LocatorOptions().setHasText("Уточнить результаты МРТ"))
			.click();
		this.page.getByLabel("Результат").fill("Результаты в норме, пациент знает");
		this.page.locator("#done button[type=submit]").click();
		assertThat(this.page.locator(".badge")).hasText("Выполнена");
		screenshot("task-done-1920");
		this.page.navigate(url("/patients/" + patient));
		assertThat(this.page.locator(".timeline")).containsText("Задача выполнена");
	}

	@Autowired
	dev.klinika.tasks.Tasks tasks;

	@Test
	void theTopBarCounterCountsATaskSetElsewhereWithoutAReload() {
		long branch = this.jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin'
				""").query(Long.class).single();
		logIn("admin");
		this.page.navigate(url("/patients"));
		var counter = this.page.locator("#task-counter span");
		// The page's event stream is open once the first count has arrived through it.
		assertThat(this.page.locator("#task-counter")).hasAttribute("data-live", "true");
		int before = Integer.parseInt(counter.textContent().trim());
		// Someone on another screen (or another node) gives the branch's admins a task.
		this.tasks
			.create(new dev.klinika.tasks.Tasks.NewTask("Перезвонить по счёту", dev.klinika.tasks.TaskKind.CALL_BACK,
					null, branch, null, dev.klinika.security.Role.ADMIN, java.time.Instant.now().plusSeconds(60),
					dev.klinika.tasks.TaskPriority.NORMAL, null, null, null, null, null));
		assertThat(counter).hasText(String.valueOf(before + 1));
	}

	@Test
	void theBoardTakesATaskByDragAndClosesItWithAnOutcome() {
		long branch = this.jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin'
				""").query(Long.class).single();
		// Due long ago, so it heads the "open" column.
		long task = this.jdbc
			.sql("""
					insert into task (title, kind, branch_id, owner_role, due_at, priority, created_by)
					values ('Перенести запись Петровой', 'CUSTOM', :b, 'ADMIN', now() - interval '3650 days', 'NORMAL', 'test')
					returning id
					""")
			.param("b", branch)
			.query(Long.class)
			.single();
		logIn("admin");
		this.page.navigate(url("/tasks/board"));
		var card = this.page.locator("#task-board [data-card=\"" + task + "\"]");
		assertThat(card).hasAttribute("data-column", "OPEN");
		card.dragTo(this.page.locator("#task-board section[data-status=IN_PROGRESS]"),
				new com.microsoft.playwright.Locator.DragToOptions().setTargetPosition(60, 15));
		assertThat(this.page.locator("#task-board section[data-status=IN_PROGRESS] [data-card=\"" + task + "\"]"))
			.hasCount(1);
		org.assertj.core.api.Assertions.assertThat(
				this.jdbc.sql("select status from task where id = :id").param("id", task).query(String.class).single())
			.isEqualTo("IN_PROGRESS");
		// Done needs an outcome: the drop opens the task at its outcome form.
		this.page.locator("#task-board [data-card=\"" + task + "\"]")
			.dragTo(this.page.locator("#task-board section[data-status=DONE]"),
					new com.microsoft.playwright.Locator.DragToOptions().setTargetPosition(60, 15));
		this.page.waitForURL(url("/tasks/" + task + "#done"));
		this.page.getByLabel("Результат").fill("Перенесли на пятницу");
		this.page.locator("#done button[type=submit]").click();
		assertThat(this.page.locator(".badge")).hasText("Выполнена");
	}

}
