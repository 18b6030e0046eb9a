package dev.klinika.browser;

import java.time.DayOfWeek;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.scheduling.Booking;
import dev.klinika.scheduling.DemoSchedule;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The reception opens a day of the branch and sees who is booked with whom, in its status
 * colour.
 */
class ScheduleJourneyTests extends BrowserTest {

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	dev.klinika.scheduling.Availability availability;

	@Autowired
	JdbcClient jdbc;

	@Test
	void updatesEveryOpenGridOfTheBranchWhenSomeoneBooks() {
		var picked = DemoSchedule.weeklyStaff(this.jdbc, "admin", 1, false);
		long staff = picked.staff();
		long branch = picked.branch();
		long service = picked.service();
		LocalDate day = LocalDate.now().plusWeeks(9).with(DayOfWeek.WEDNESDAY);

		logIn("admin");
		this.page.navigate(url("/scheduling/day?date=" + day));
		var second = this.context.newPage();
		second.navigate(url("/scheduling/day?date=" + day));
		// Both pages hold an open event stream before anyone books.
		this.page.waitForTimeout(500);

		var start = this.availability.freeSlots(staff, branch, service, day, day).get(0);
		long patient = this.jdbc.sql("select max(id) from patient where merged_into is null and erased_at is null")
			.query(Long.class)
			.single();
		var appointment = this.booking.book(new Booking.Request(patient, service, staff, branch, start, null));

		for (var open : java.util.List.of(this.page, second)) {
			assertThat(open.locator("[data-appointment='" + appointment.id() + "']")).isVisible(
					new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(5_000));
		}
		screenshot("schedule-live-1920");
	}

	@Test
	void showsAnAppointmentOnTheDayGrid() {
		var picked = DemoSchedule.weeklyStaff(this.jdbc, "admin", 0, false);
		long staff = picked.staff();
		long branch = picked.branch();
		long service = picked.service();
		LocalDate day = LocalDate.now().plusWeeks(8).with(DayOfWeek.THURSDAY);
		var start = this.availability.freeSlots(staff, branch, service, day, day).get(0);
		long patient = this.jdbc.sql("select min(id) from patient where merged_into is null and erased_at is null")
			.query(Long.class)
			.single();
		String surname = this.jdbc.sql("select surname from patient where id = :id")
			.param("id", patient)
			.query(String.class)
			.single();
		var appointment = this.booking.book(new Booking.Request(patient, service, staff, branch, start, null));
		this.lifecycle.confirm(appointment.id());

		logIn("admin");
		this.page.navigate(url("/scheduling/day?date=" + day));
		var block = this.page.locator("[data-appointment='" + appointment.id() + "']");
		assertThat(block).containsText(surname);
		assertThat(block).containsText("Подтвердил");
		assertThat(block).hasClass(java.util.regex.Pattern.compile("state-confirmed"));
		screenshot("schedule-day-1920");
		// Where a person looks: the visit sits level with its hour's label, at its
		// minutes below it, and the hours are twelve 8 px rows (96 px) apart.
		java.time.ZoneId zone = java.time.ZoneId.of(this.jdbc.sql("select time_zone from branch where id = :b")
			.param("b", branch)
			.query(String.class)
			.single());
		java.time.LocalTime local = start.atZone(zone).toLocalTime();
		var labels = this.page.locator("#day-grid .times .time");
		var label = this.page.locator("#day-grid .times .time", new com.microsoft.playwright.Page.LocatorOptions()
			.setHasText(String.format("%02d:00", local.getHour())));
		// The label is lifted by half its line (translateY(-7px)), the block set in by 1
		// px.
		double labelLine = label.boundingBox().y + 7;
		double blockTop = block.boundingBox().y - 1;
		org.assertj.core.api.Assertions.assertThat(blockTop - labelLine)
			.isCloseTo(local.getMinute() / 5.0 * 8, org.assertj.core.api.Assertions.within(2.0));
		org.assertj.core.api.Assertions.assertThat(labels.nth(1).boundingBox().y - labels.nth(0).boundingBox().y)
			.isCloseTo(96.0, org.assertj.core.api.Assertions.within(1.0));
		// On a 1920 px screen the grid takes the width there is (it was capped at 1280).
		org.assertj.core.api.Assertions.assertThat(this.page.locator("#day-grid").boundingBox().width)
			.isGreaterThan(1500);
		block.click();
		assertThat(this.page.locator("h1")).containsText(surname);
	}

	@Test
	void booksFromAFreeCellThenChecksTheVisitIn() {
		var picked = DemoSchedule.weeklyStaff(this.jdbc, "admin", 2, false);
		LocalDate day = LocalDate.now().plusWeeks(7).with(DayOfWeek.TUESDAY);
		var patient = this.jdbc.sql("""
				select p.id, p.surname, p.name from patient p
				 where p.merged_into is null and p.erased_at is null and p.home_branch_id = :branch
				   and (select count(*) from patient q where q.surname = p.surname and q.name = p.name) = 1
				 order by p.id limit 1
				""").param("branch", picked.branch()).query().singleRow();
		String surname = (String) patient.get("surname");

		logIn("admin");
		this.page.navigate(url("/scheduling/day?branch=" + picked.branch() + "&date=" + day));
		this.page.locator(".column[data-staff='" + picked.staff() + "'] a.free").first().click();
		assertThat(this.page.locator("h1")).hasText("Запись на приём");
		this.page.locator("#patient-query").fill(surname + " " + patient.get("name"));
		this.page.locator("#patient-choice input[value='" + patient.get("id") + "']").check();
		this.page.locator("#service").selectOption(String.valueOf(picked.service()));
		screenshot("book-form-1920");
		this.page.locator("#book-form button[type=submit]").click();

		assertThat(this.page.locator(".flash.ok")).containsText("Пациент записан");
		var block = this.page.locator(".column[data-staff='" + picked.staff() + "'] .block",
				new com.microsoft.playwright.Page.LocatorOptions().setHasText(surname));
		assertThat(block).hasCount(1);
		// On a 1920 px screen the grid takes the width there is (it was capped at 1280).
		org.assertj.core.api.Assertions.assertThat(this.page.locator("#day-grid").boundingBox().width)
			.isGreaterThan(1500);
		block.click();
		assertThat(this.page.locator("h1")).containsText(surname);
		this.page
			.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
					new com.microsoft.playwright.Page.GetByRoleOptions().setName("Пришёл").setExact(true))
			.click();
		assertThat(this.page.locator(".badge")).hasText("Пришёл");
		screenshot("appointment-1920");
		String status = this.jdbc
			.sql("""
					select status from appointment where patient_id = :patient and staff_id = :staff order by id desc limit 1
					""")
			.param("patient", patient.get("id"))
			.param("staff", picked.staff())
			.query(String.class)
			.single();
		org.assertj.core.api.Assertions.assertThat(status).isEqualTo("CHECKED_IN");
	}

	@Test
	void aManagerSeesAWeekAndSetsAnOwnDurationOnTheWorkingTimePage() {
		var picked = DemoSchedule.weeklyStaff(this.jdbc, null, 4, false);
		LocalDate day = LocalDate.now().plusWeeks(6).with(DayOfWeek.MONDAY);
		logIn("manager");
		this.page
			.navigate(url("/scheduling/week?branch=" + picked.branch() + "&staff=" + picked.staff() + "&date=" + day));
		assertThat(this.page.locator(".day-grid .column")).hasCount(7);
		assertThat(this.page.locator(".column[data-day='" + day + "'] a.free").first()).isVisible();
		screenshot("schedule-week-1920");
		this.page
			.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
					new com.microsoft.playwright.Page.GetByRoleOptions().setName("Рабочее время").setExact(true))
			.click();
		assertThat(this.page.locator("#current-pattern")).containsText("09:00–13:00");
		var input = this.page.locator("#durations ~ .table-wrap input[name=minutes]").first();
		input.fill("25");
		input.press("Enter");
		assertThat(this.page.locator(".flash.ok")).isVisible();
		assertThat(this.page.locator("#durations ~ .table-wrap input[name=minutes]").first()).hasValue("25");
		screenshot("working-time-1920");
	}

}
