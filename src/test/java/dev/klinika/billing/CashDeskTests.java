package dev.klinika.billing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.shared.Money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The cash desk over HTTP as the demo admin: no cash without a shift, a shift's takings
 * by method and by admin, paid in and out, the close with its count and discrepancy, the
 * reports and their downloads, another branch's shift, and opens and closes that race.
 */
@KlinikaTest
class CashDeskTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Desk desk;

	@Autowired
	CashDesk cash;

	@Autowired
	Payments payments;

	@Test
	void cashWaitsForAnOpenShiftWhileCardIsTakenWithout() throws Exception {
		long branch = this.logins.branchOf("admin");
		this.desk.closeDrawer(branch);
		long bill = this.desk.billWith("admin", "1000.00");
		MvcResult refused = this.desk.pay(bill, "admin", Map.of("cash", "400", "card", "600"));
		assertThat(refused.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.noShift");
		assertThat(this.desk.transfers(bill)).isEmpty();
		this.desk.pay(bill, "admin", Map.of("card", "600"));
		assertThat(this.desk.transfers(bill)).singleElement().satisfies(row -> {
			assertThat(row.get("method")).isEqualTo("CARD");
			assertThat(row.get("cash_shift_id")).isNull();
		});
		this.mvc.perform(get("/billing/cash").with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Смена закрыта")))
			.andExpect(content().string(containsString("Открыть смену")));
	}

	@Test
	void aShiftTakesTheDesksMoneyAndClosesWithItsCountAndDiscrepancy() throws Exception {
		long branch = this.logins.branchOf("admin");
		this.desk.closeDrawer(branch);
		long shift = open(branch, "2 000,00");
		long first = this.desk.billWith("admin", "3000.00");
		this.desk.pay(first, "admin", Map.of("cash", "1000", "card", "2000"));
		long second = this.desk.billWith("senior", "1500.00");
		this.desk.pay(second, "senior", Map.of("cash", "1500"));
		this.desk.refund(second, "senior", this.desk.onlyLine(second), "500", "CASH", "Процедура короче");
		move(shift, "out", "3000", "Инкассация");
		move(shift, "in", "200", "Размен");
		// 2000 + 1000 + 1500 − 500 − 3000 + 200
		CashDesk.Shift open = this.cash.current(branch).orElseThrow();
		assertThat(open.id()).isEqualTo(shift);
		assertThat(this.desk.as("admin", () -> this.cash.expectedCash(open))).isEqualTo(Money.rub("1200"));
		CashDesk.Report report = this.desk.as("admin", () -> this.cash.shiftReport(open));
		assertThat(report.takings())
			.extracting(t -> t.method() + " " + t.received().amount() + " " + t.returned().amount())
			.containsExactly("CASH 2500.00 500.00", "CARD 2000.00 0.00");
		assertThat(report.byAdmin()).extracting(a -> a.actor() + " " + a.net().amount())
			.containsExactly("admin 3000.00", "senior 1000.00");
		assertThat(report.takingsNet()).isEqualTo(Money.rub("4000"));
		this.mvc.perform(get("/billing/cash").with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"expected-cash\">1\u00a0200\u00a0₽")));

		// Counted 100 short without a word: refused, the shift stays open.
		MvcResult silent = close(shift, "1100", "");
		assertThat(silent.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.discrepancyNote");
		assertThat(this.cash.current(branch)).isPresent();
		MvcResult closed = close(shift, "1 100", "Сдача без чека");
		assertThat(closed.getResponse().getRedirectedUrl()).isEqualTo("/billing/cash/shifts/" + shift);
		Map<String, Object> row = this.jdbc.sql("select * from billing_cash_shift_v where id = :id")
			.param("id", shift)
			.query()
			.singleRow();
		assertThat(row.get("expected")).hasToString("1200.00");
		assertThat(row.get("counted")).hasToString("1100.00");
		assertThat(row.get("discrepancy")).hasToString("-100.00");
		assertThat(row.get("closed_by")).isEqualTo("admin");
		this.mvc.perform(get("/billing/cash/shifts/{id}", shift).with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("недостача")))
			.andExpect(content().string(containsString("Сдача без чека")));

		// Nothing moves in a closed shift; the next one starts from what was counted.
		MvcResult late = move(shift, "out", "100", "Поздно");
		assertThat(late.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.shiftClosed");
		assertThat(this.jdbc.sql("select count(*) from cash_movement where shift_id = :id")
			.param("id", shift)
			.query(Integer.class)
			.single()).isEqualTo(2);
		MvcResult again = close(shift, "1100", "");
		assertThat(again.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.shiftClosed");
		this.mvc.perform(get("/billing/cash").with(this.logins.as("admin")))
			.andExpect(content().string(containsString("value=\"1100.00\"")));
		assertThatThrownBy(
				() -> this.jdbc.sql("update cash_shift set counted = 1200 where id = :id").param("id", shift).update())
			.hasMessageContaining("closed cash shift is never changed");
		assertThatThrownBy(
				() -> this.jdbc.sql("delete from cash_movement where shift_id = :id").param("id", shift).update())
			.hasMessageContaining("never changed or removed");
		this.desk.openDrawers();
	}

	@Test
	void moreOutThanTheDrawerHoldsAndTypedNonsenseAreRefusedAndWriteNothing() throws Exception {
		long branch = this.logins.branchOf("admin");
		this.desk.closeDrawer(branch);
		long shift = open(branch, "500");
		for (String[] typed : List.of(new String[] { "out", "500.01", "Инкассация", "billing.refused.paidOutOverCash" },
				new String[] { "out", "-5", "Инкассация", "billing.refused.amountNegative" },
				new String[] { "in", "0", "Размен", "billing.refused.amountNotPositive" },
				new String[] { "in", "12,345", "Размен", "billing.refused.amountFormat" },
				new String[] { "in", "100", " ", "billing.refused.movementReason" },
				new String[] { "sideways", "100", "Размен", "billing.refused.movementDirection" },
				new String[] { "in", "100", "х".repeat(501), "billing.refused.movementReason" })) {
			MvcResult result = move(shift, typed[0], typed[1], typed[2]);
			assertThat(result.getFlashMap().get("flashErrorKey")).as(String.join(" ", typed)).isEqualTo(typed[3]);
		}
		assertThat(close(shift, "", "").getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.countMissing");
		assertThat(close(shift, "-1", "").getFlashMap().get("flashErrorKey"))
			.isEqualTo("billing.refused.amountNegative");
		MvcResult twice = this.mvc
			.perform(post("/billing/cash/open").param("branch", String.valueOf(branch))
				.param("opening", "0")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andReturn();
		assertThat(twice.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.shiftOpen");
		assertThat(this.jdbc.sql("select count(*) from cash_movement where shift_id = :id")
			.param("id", shift)
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.cash.current(branch).orElseThrow().id()).isEqualTo(shift);
	}

	@Test
	void anotherBranchsShiftIsNotThereForReadsOrWrites() throws Exception {
		this.desk.openDrawers();
		long other = this.jdbc.sql("select min(id) from organization_branch_v where id <> :branch and active")
			.param("branch", this.logins.branchOf("admin"))
			.query(Long.class)
			.single();
		long shift = this.cash.current(other).orElseThrow().id();
		this.mvc.perform(get("/billing/cash/shifts/{id}", shift).with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/billing/cash/shifts/{id}/export", shift).with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc
			.perform(post("/billing/cash/shifts/{id}/movements", shift).param("direction", "in")
				.param("amount", "100")
				.param("reason", "x")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc
			.perform(post("/billing/cash/shifts/{id}/close", shift).param("counted", "0")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.desk.closeDrawer(other);
		this.mvc
			.perform(post("/billing/cash/open").param("branch", String.valueOf(other))
				.param("opening", "0")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/billing/cash").param("branch", String.valueOf(other)).with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/billing/cash/day").param("branch", String.valueOf(other)).with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		assertThat(this.cash.current(other)).isEmpty();
		assertThat(this.jdbc.sql("select count(*) from cash_movement where shift_id = :id")
			.param("id", shift)
			.query(Integer.class)
			.single()).isZero();
		this.desk.openDrawers();
	}

	@Test
	void twoAdminsOpeningAtOnceOpenOneShift() throws Exception {
		long branch = this.logins.branchOf("admin");
		this.desk.closeDrawer(branch);
		List<Callable<Object>> opens = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			String login = i % 2 == 0 ? "admin" : "senior";
			opens.add(() -> this.desk.as(login, () -> this.cash.open(branch, Money.rub("100"))));
		}
		assertThat(this.desk.race(opens)).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from cash_shift where branch_id = :branch and closed_at is null")
			.param("branch", branch)
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void theDayReportAddsTheBranchsMoneyOfTheDayAndDownloadsAsCsvAndXlsx() throws Exception {
		long branch = this.logins.branchOf("admin");
		this.desk.openDrawers();
		String today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Moscow")).toString();
		CashDesk.Report before = report(branch, today);
		long bill = this.desk.billWith("admin", "700.00");
		this.desk.pay(bill, "admin", Map.of("cash", "200", "transfer", "500"));
		CashDesk.Report after = report(branch, today);
		assertThat(after.takingsNet()).isEqualTo(before.takingsNet().plus(Money.rub("700")));
		this.mvc
			.perform(get("/billing/cash/day").param("branch", String.valueOf(branch))
				.param("date", today)
				.with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Перевод")));
		byte[] csv = this.mvc
			.perform(get("/billing/cash/day/export").param("branch", String.valueOf(branch))
				.param("date", today)
				.param("format", "csv")
				.with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		String text = new String(csv, StandardCharsets.UTF_8);
		assertThat(text).startsWith("\uFEFFРаздел;Сотрудник;Способ или причина;Принято;Возвращено;Итого");
		assertThat(text).contains("Выручка (деньги через кассу);;;;;" + after.takingsNet().amount().toPlainString());
		byte[] xlsx = this.mvc
			.perform(get("/billing/cash/day/export").param("branch", String.valueOf(branch))
				.param("date", today)
				.param("format", "xlsx")
				.with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
			Sheet sheet = book.getSheetAt(0);
			Row total = null;
			for (Row row : sheet) {
				if (row.getCell(0).getStringCellValue().startsWith("Выручка")) {
					total = row;
				}
			}
			assertThat(total).isNotNull();
			assertThat(java.math.BigDecimal.valueOf(total.getCell(5).getNumericCellValue()))
				.isEqualByComparingTo(after.takingsNet().amount());
		}
	}

	private CashDesk.Report report(long branch, String day) {
		return this.desk.as("admin", () -> this.cash.dayReport(branch, java.time.LocalDate.parse(day),
				java.time.ZoneId.of("Europe/Moscow")));
	}

	private long open(long branch, String opening) throws Exception {
		this.mvc
			.perform(post("/billing/cash/open").param("branch", String.valueOf(branch))
				.param("opening", opening)
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection());
		return this.cash.current(branch).orElseThrow().id();
	}

	private MvcResult move(long shift, String direction, String amount, String reason) throws Exception {
		return this.mvc
			.perform(post("/billing/cash/shifts/{id}/movements", shift).param("direction", direction)
				.param("amount", amount)
				.param("reason", reason)
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection())
			.andReturn();
	}

	private MvcResult close(long shift, String counted, String note) throws Exception {
		return this.mvc
			.perform(post("/billing/cash/shifts/{id}/close", shift).param("counted", counted)
				.param("note", note)
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection())
			.andReturn();
	}

}
