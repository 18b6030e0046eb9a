package dev.klinika.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.shared.Money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Money at the desk over HTTP, as the demo logins: a visit's checkout, discounts within
 * the role's limit, split and partial payments, refunds per line, the deposit, voids,
 * another branch's bill, typed nonsense, retries, and spends that race.
 */
@KlinikaTest
class BillingTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Desk desk;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Payments payments;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@Autowired
	UserDetailsService accounts;

	@Autowired
	PatientMoney money;

	@Autowired
	org.springframework.context.MessageSource messages;

	@BeforeEach
	void drawersOpen() {
		this.desk.openDrawers();
	}

	@Test
	void aMethodTheDeskDoesNotTakeIsNeitherOfferedNorAccepted() throws Exception {
		long bill = this.desk.billWith("admin", "800.00");
		try {
			this.mvc.perform(post("/billing/settings/methods").with(this.logins.as("owner")).with(csrf()))
				.andExpect(result -> assertThat(result.getFlashMap().get("flashErrorKey"))
					.isEqualTo("billing.refused.noDeskMethod"));
			this.mvc
				.perform(post("/billing/settings/methods").with(this.logins.as("admin"))
					.with(csrf())
					.param("method", "CASH"))
				.andExpect(status().isForbidden());
			this.mvc.perform(post("/billing/settings/methods").with(this.logins.as("owner"))
				.with(csrf())
				.param("method", "CASH")
				.param("method", "TRANSFER")
				.param("method", "POINTS"));
			assertThat(this.jdbc.sql("select array_to_string(desk_methods, ',') from billing_settings")
				.query(String.class)
				.single()).isEqualTo("CASH,TRANSFER");
			String page = this.mvc.perform(get("/billing/bills/" + bill).with(this.logins.as("admin")))
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(page).doesNotContain("id=\"pay-card\"").contains("id=\"pay-transfer\"");
			// What is due is put in the cash field, the first the desk takes.
			assertThat(page).containsPattern("id=\"pay-cash\"[^>]*value=\"800.00\"");
			MvcResult byCard = this.desk.pay(bill, "admin", Map.of("card", "800"));
			assertThat(byCard.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.methodOff");
			assertThat(this.desk.transfers(bill)).isEmpty();
			this.desk.pay(bill, "admin", Map.of("cash", "800"));
			assertThat(this.desk.transfers(bill)).singleElement()
				.satisfies(t -> assertThat(t.get("method")).isEqualTo("CASH"));
		}
		finally {
			this.jdbc.sql("update billing_settings set desk_methods = '{CASH,CARD,TRANSFER}'").update();
		}
	}

	@Test
	void checkoutPrefillsTheVisitsServiceAtThePriceOfItsDayAndTwoClicksMakeOneBill() throws Exception {
		long visit = completedVisit("admin");
		long bill = checkout(visit, "admin");
		assertThat(checkout(visit, "admin")).isEqualTo(bill);
		var line = this.jdbc
			.sql("""
					select l.service_id, l.quantity, l.unit_price, l.amount, l.staff_id = a.staff_id as same_staff,
					       (select price from catalog_service_price_v p where p.service_id = a.service_id
					         order by p.valid_from <= (a.starts_at at time zone b.time_zone)::date desc,
					                  case when p.valid_from <= (a.starts_at at time zone b.time_zone)::date then p.valid_from end desc,
					                  p.valid_from limit 1) as day_price,
					       a.service_id as visit_service
					  from bill_line l join bill bl on bl.id = l.bill_id join scheduling_appointment_v a on a.id = bl.appointment_id
					  join organization_branch_v b on b.id = a.branch_id where l.bill_id = :bill
					""")
			.param("bill", bill)
			.query()
			.listOfRows();
		assertThat(line).hasSize(1);
		assertThat(line.get(0).get("service_id")).isEqualTo(line.get(0).get("visit_service"));
		assertThat((BigDecimal) line.get(0).get("unit_price"))
			.isEqualByComparingTo((BigDecimal) line.get(0).get("day_price"));
		assertThat(line.get(0).get("same_staff")).isEqualTo(true);
		this.mvc.perform(get("/billing/bills/{id}", bill).with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Не оплачен")))
			.andExpect(content().string(containsString("Принять оплату")));
	}

	@Test
	void aSplitPaymentPaysTheBillInOneBatchAndARetryWithItsKeyPaysNothingMore() throws Exception {
		long bill = this.desk.billWith("admin", "1000.00");
		String key = UUID.randomUUID().toString();
		this.desk.pay(bill, "admin", Map.of("cash", "300", "card", "700,00", "key", key));
		List<Map<String, Object>> after = this.desk.transfers(bill);
		assertThat(after).hasSize(2);
		assertThat(after).extracting(row -> row.get("batch_id")).containsOnly(after.get(0).get("batch_id"));
		assertThat(after).extracting(row -> row.get("method") + " " + row.get("amount"))
			.containsExactlyInAnyOrder("CASH 300.00", "CARD 700.00");
		// The same form sent again (a double click, a reload): every column unchanged.
		MvcResult again = this.desk.pay(bill, "admin", Map.of("cash", "300", "card", "700,00", "key", key));
		assertThat(again.getFlashMap().get("flashErrorKey")).isNull();
		assertThat(this.desk.transfers(bill)).isEqualTo(after);
		assertThat(view(bill).status()).isEqualTo(BillStatus.PAID);
		// A paid bill's lines never change.
		int lines = lineCount(bill);
		MvcResult added = this.mvc
			.perform(post("/billing/bills/{id}/lines", bill).param("goodsName", "Бинт")
				.param("goodsPrice", "100")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andReturn();
		assertThat(added.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.issued");
		assertThat(lineCount(bill)).isEqualTo(lines);
	}

	@Test
	void aPartialPaymentLeavesADebtOnTheCardAndOverpayingIsRefused() throws Exception {
		long bill = this.desk.billWith("admin", "2500.00");
		long patient = patientOf(bill);
		Money debtBefore = summary(patient).debt();
		this.desk.pay(bill, "admin", Map.of("cash", "1000"));
		assertThat(view(bill).status()).isEqualTo(BillStatus.PARTLY_PAID);
		assertThat(summary(patient).debt()).isEqualTo(debtBefore.minus(Money.rub("1000")));
		MvcResult over = this.desk.pay(bill, "admin", Map.of("card", "1500.01"));
		assertThat(over.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.overpay");
		assertThat(this.desk.transfers(bill)).hasSize(1);
		this.desk.pay(bill, "admin", Map.of("card", "1500"));
		assertThat(view(bill).status()).isEqualTo(BillStatus.PAID);
	}

	@Test
	void anAdminsDiscountStopsAtTheClinicsLimitAndASeniorAdminsDoesNot() throws Exception {
		long bill = this.desk.billWith("admin", "1000.00");
		long reason = this.jdbc.sql("select min(id) from discount_reason where active").query(Long.class).single();
		MvcResult refused = this.mvc
			.perform(post("/billing/bills/{id}/discount", bill).param("kind", "PERCENT")
				.param("value", "15")
				.param("reason", String.valueOf(reason))
				.with(csrf())
				.with(this.logins.as("admin")))
			.andReturn();
		assertThat(refused.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.discountOverLimit");
		assertThat(view(bill).total()).isEqualTo(Money.rub("1000"));
		this.mvc
			.perform(post("/billing/bills/{id}/discount", bill).param("kind", "PERCENT")
				.param("value", "15")
				.param("reason", String.valueOf(reason))
				.with(csrf())
				.with(this.logins.as("senior")))
			.andExpect(status().is3xxRedirection());
		assertThat(view(bill).total()).isEqualTo(Money.rub("850"));
		// Without a reason, over 100 %, or typed as words: refused, nothing changes.
		for (Map<String, String> bad : List.of(Map.of("kind", "PERCENT", "value", "5"),
				Map.of("kind", "PERCENT", "value", "101", "reason", String.valueOf(reason)),
				Map.of("kind", "PERCENT", "value", "пять", "reason", String.valueOf(reason)),
				Map.of("kind", "BOGUS", "value", "5", "reason", String.valueOf(reason)))) {
			var request = post("/billing/bills/{id}/discount", bill).with(csrf()).with(this.logins.as("senior"));
			bad.forEach(request::param);
			MvcResult result = this.mvc.perform(request).andReturn();
			assertThat(result.getResponse().getStatus()).as(bad.toString()).isEqualTo(302);
			assertThat(result.getFlashMap().get("flashErrorKey")).as(bad.toString()).isNotNull();
			assertThat(view(bill).total()).isEqualTo(Money.rub("850"));
		}
	}

	@Test
	void aRefundNeverExceedsWhatTheLineTookNorTheMethodAndOverTheLimitNeedsASenior() throws Exception {
		long bill = this.desk.billWith("admin", "8000.00");
		this.desk.pay(bill, "admin", Map.of("cash", "2000", "card", "6000"));
		long line = lines(bill).get(0);
		MvcResult overMethod = this.desk.refund(bill, "senior", line, "2000.01", "CASH", "Пациент недоволен");
		assertThat(overMethod.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.refundOverMethod");
		MvcResult overLimit = this.desk.refund(bill, "admin", line, "5000.01", "CARD", "Пациент недоволен");
		assertThat(overLimit.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.refundOverLimit");
		MvcResult noReason = this.mvc
			.perform(post("/billing/bills/{id}/refund", bill).param("line", String.valueOf(line))
				.param("amount", "10")
				.param("to", "CARD")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andReturn();
		assertThat(noReason.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.refundReason");
		assertThat(this.desk.transfers(bill)).hasSize(2);
		this.desk.refund(bill, "admin", line, "1000", "CARD", "Пациент недоволен");
		assertThat(view(bill).status()).isEqualTo(BillStatus.PARTLY_REFUNDED);
		long patient = patientOf(bill);
		Money deposit = summary(patient).deposit();
		this.desk.refund(bill, "senior", line, "7000", "DEPOSIT", "Пациент недоволен");
		assertThat(view(bill).status()).isEqualTo(BillStatus.REFUNDED);
		assertThat(summary(patient).deposit()).isEqualTo(deposit.plus(Money.rub("7000")));
		MvcResult more = this.desk.refund(bill, "senior", line, "0.01", "DEPOSIT", "Пациент недоволен");
		assertThat(more.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.notRefundable");
		// The ledger refuses edits: a mistake is a new transfer.
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> this.jdbc.sql("update ledger_transfer set amount = 1 where bill_id = :bill")
				.param("bill", bill)
				.update())
			.withMessageContaining("never changed");
	}

	@Test
	void anotherBranchsBillIsNotThereForReadsOrWrites() throws Exception {
		long bill = this.desk.billWith("owner", "500.00", otherBranchThan("admin"));
		List<Map<String, Object>> before = this.desk.transfers(bill);
		int lines = lineCount(bill);
		this.mvc.perform(get("/billing/bills/{id}", bill).with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		for (String path : List.of("/billing/bills/{id}/pay", "/billing/bills/{id}/lines",
				"/billing/bills/{id}/void")) {
			this.mvc
				.perform(post(path, bill).param("cash", "500")
					.param("goodsName", "x")
					.param("goodsPrice", "1")
					.param("reason", "x")
					.with(csrf())
					.with(this.logins.as("admin")))
				.andExpect(status().isNotFound());
		}
		assertThat(this.desk.transfers(bill)).isEqualTo(before);
		assertThat(lineCount(bill)).isEqualTo(lines);
		assertThat(view(bill).voidedAt()).isNull();
	}

	@Test
	void anotherBranchNamedInAFormOrAnotherBillsLineIsNotThereEither() throws Exception {
		long mine = this.logins.branchOf("admin");
		long other = otherBranchThan("admin");
		long patient = this.jdbc.sql("""
				select id from patients_card_v where home_branch_id = :branch and live order by random() limit 1
				""").param("branch", mine).query(Long.class).single();
		int bills = this.jdbc.sql("select count(*) from bill").query(Integer.class).single();
		int transfers = this.jdbc.sql("select count(*) from ledger_transfer").query(Integer.class).single();
		this.mvc
			.perform(post("/billing/patients/{id}/bills", patient).param("branch", String.valueOf(other))
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc
			.perform(post("/billing/patients/{id}/advance", patient).param("branch", String.valueOf(other))
				.param("method", "CASH")
				.param("amount", "100")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		// A line of another bill named on this one: not there.
		long mineBill = this.desk.billWith("admin", "300.00");
		long otherBill = this.desk.billWith("owner", "300.00", other);
		long otherLine = lines(otherBill).get(0);
		this.mvc
			.perform(post("/billing/bills/{id}/lines/{line}/remove", mineBill, otherLine).with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		assertThat(lineCount(otherBill)).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from bill").query(Integer.class).single()).isEqualTo(bills + 2);
		assertThat(this.jdbc.sql("select count(*) from ledger_transfer").query(Integer.class).single())
			.isEqualTo(transfers);
	}

	@Test
	void typedNonsenseIsRefusedWithItsReasonAndLeavesTheLedgerAsItWas() throws Exception {
		long bill = this.desk.billWith("admin", "700.00");
		for (String typed : List.of("abc", "-5", "1.234", "99999999999999", "1e5", "0")) {
			MvcResult result = this.desk.pay(bill, "admin", Map.of("cash", typed));
			assertThat(result.getResponse().getStatus()).as(typed).isEqualTo(302);
			assertThat(result.getFlashMap().get("flashErrorKey")).as(typed).isNotNull();
		}
		assertThat(this.desk.transfers(bill)).isEmpty();
		// Every refusal is worded in both languages.
		for (String key : List.of("billing.refused.amountFormat", "billing.refused.overpay",
				"billing.refused.discountOverLimit", "billing.refused.refundOverLine")) {
			assertThat(this.messages.getMessage(key, new Object[] { "1 ₽" }, java.util.Locale.forLanguageTag("ru")))
				.doesNotContain("billing.");
			assertThat(this.messages.getMessage(key, new Object[] { "1 ₽" }, java.util.Locale.ENGLISH))
				.doesNotContain("billing.");
		}
		assertThat(
				this.messages.getMessage("billing.refused.amountFormat", null, java.util.Locale.forLanguageTag("ru")))
			.startsWith("Сумма записана непонятно");
	}

	@Test
	void aCancelledVisitsUnpaidBillIsVoidedAndItsVisitOffersNoNewOne() throws Exception {
		long visit = this.jdbc
			.sql("""
					select a.id from scheduling_appointment_v a where a.branch_id = :branch and a.status in ('BOOKED', 'CONFIRMED')
					   and a.starts_at > now() + interval '2 days' and not exists (select 1 from bill b where b.appointment_id = a.id)
					 order by random() limit 1
					""")
			.param("branch", this.logins.branchOf("admin"))
			.query(Long.class)
			.single();
		long bill = checkout(visit, "admin");
		this.mvc
			.perform(post("/scheduling/appointments/{id}/cancel", visit).param("reason", "PATIENT_ASKED")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection());
		assertThat(this.jdbc.sql("select status from scheduling_appointment_v where id = :id")
			.param("id", visit)
			.query(String.class)
			.single()).isEqualTo("CANCELLED");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (view(bill).voidedAt() == null && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(view(bill).status()).isEqualTo(BillStatus.VOID);
		assertThat(view(bill).voidReason()).isEqualTo("Визит отменён: " + cancelReasonWords());
		MvcResult again = this.mvc
			.perform(post("/billing/visits/{id}", visit).with(csrf()).with(this.logins.as("admin")))
			.andReturn();
		assertThat(again.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.visitCancelled");
	}

	@Test
	void aVisitDoneWithoutABillIsListedUntilItsCheckout() throws Exception {
		long visit = completedVisit("admin");
		var day = this.jdbc.sql("""
				select (a.starts_at at time zone b.time_zone)::date from scheduling_appointment_v a
				  join organization_branch_v b on b.id = a.branch_id where a.id = :id
				""").param("id", visit).query(java.time.LocalDate.class).single();
		String before = this.mvc
			.perform(get("/billing/unbilled").param("date", day.toString()).with(this.logins.as("admin")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(before).contains("/billing/visits/" + visit);
		checkout(visit, "admin");
		String after = this.mvc
			.perform(get("/billing/unbilled").param("date", day.toString()).with(this.logins.as("admin")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(after).doesNotContain("/billing/visits/" + visit);
	}

	@Test
	void theReceptionsHomePageCountsTodaysVisitsDoneWithoutABill() throws Exception {
		String today = """
				from scheduling_appointment_v a join organization_branch_v b on b.id = a.branch_id
				 where a.branch_id = :branch and a.status = 'COMPLETED'
				   and (a.starts_at at time zone b.time_zone)::date = (now() at time zone b.time_zone)::date
				   and not exists (select 1 from bill x where x.appointment_id = a.id and x.voided_at is null)
				""";
		long branch = this.logins.branchOf("admin");
		// Early in the day no demo visit is over yet: finish one of today's booked ones.
		this.jdbc.sql("""
				select a.id from scheduling_appointment_v a join organization_branch_v b on b.id = a.branch_id
				 where a.branch_id = :branch and a.status in ('BOOKED', 'CONFIRMED')
				   and (a.starts_at at time zone b.time_zone)::date = (now() at time zone b.time_zone)::date
				 order by a.starts_at limit 1
				""").param("branch", branch).query(Long.class).optional().ifPresent(visit -> {
			this.lifecycle.checkIn(visit);
			this.lifecycle.complete(visit);
		});
		int before = this.jdbc.sql("select count(*) " + today).param("branch", branch).query(Integer.class).single();
		assertThat(before).as("some of today's visits are done").isPositive();
		assertThat(homeCount()).isEqualTo(before);
		long visit = this.jdbc.sql("select min(a.id) " + today).param("branch", branch).query(Long.class).single();
		checkout(visit, "admin");
		assertThat(homeCount()).isEqualTo(before - 1);
	}

	private int homeCount() throws Exception {
		String page = this.mvc.perform(get("/").with(this.logins.as("admin")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		var match = java.util.regex.Pattern
			.compile("id=\"unbilled-today\"[\\s\\S]*?class=\"group-count[^\"]*\">(\\d+)<")
			.matcher(page);
		assertThat(match.find()).as("the home page shows the unbilled count").isTrue();
		assertThat(page).contains("Сегодня без счёта");
		return Integer.parseInt(match.group(1));
	}

	@Test
	void concurrentSpendsOfOneDepositNeverOverdrawIt() throws Exception {
		long first = this.desk.billWith("admin", "300.00");
		long patient = patientOf(first);
		long branch = this.logins.branchOf("admin");
		this.desk.as("admin",
				() -> this.payments.advance(patient, branch, PaymentMethod.CASH, Money.rub("1000"), null));
		Money deposit = summary(patient).deposit();
		List<Long> billsOfPatient = new ArrayList<>(List.of(first));
		// 24 at once, more than the pool's 10 connections: each first loads its login,
		// which
		// once held two connections at a time and starved the pool for 30 s.
		for (int i = 0; i < 23; i++) {
			billsOfPatient.add(this.desk.billFor(patient, branch, "admin", "300.00"));
		}
		int spent = this.desk.race(billsOfPatient.stream()
			.map(bill -> (Callable<Object>) () -> this.desk.as("admin",
					() -> this.payments.pay(bill, Map.of(PaymentMethod.DEPOSIT, Money.rub("300")), null)))
			.toList());
		int possible = deposit.amount().divide(new BigDecimal("300"), 0, java.math.RoundingMode.DOWN).intValue();
		assertThat(spent).isEqualTo(Math.min(possible, billsOfPatient.size()));
		assertThat(summary(patient).deposit().isNegative()).isFalse();
		assertThat(summary(patient).deposit()).isEqualTo(deposit.minus(Money.rub("300").times(spent)));
	}

	@Test
	void anAdvanceIsPaidBackNeverBeyondTheDepositAndAboveTheLimitOnlyByASenior() throws Exception {
		long patient = patientOf(this.desk.billWith("admin", "100.00"));
		long branch = this.logins.branchOf("admin");
		this.desk.as("admin",
				() -> this.payments.advance(patient, branch, PaymentMethod.CARD, Money.rub("7000"), null));
		Money deposit = summary(patient).deposit();
		MvcResult over = giveBack(patient, "admin", branch, deposit.plus(Money.rub("0.01")).amount().toPlainString());
		assertThat(over.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.depositShort");
		MvcResult aboveLimit = giveBack(patient, "admin", branch, "6000");
		assertThat(aboveLimit.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.refundOverLimit");
		assertThat(summary(patient).deposit()).isEqualTo(deposit);
		MvcResult back = giveBack(patient, "senior", branch, "6000");
		assertThat(back.getFlashMap().get("flashErrorKey")).isNull();
		assertThat(summary(patient).deposit()).isEqualTo(deposit.minus(Money.rub("6000")));
		Map<String, Object> row = this.jdbc.sql("""
				select code, method, amount, reason, bill_id from ledger_transfer
				 where patient_id = :p and code = 'ADVANCE_RETURNED' order by id desc limit 1
				""").param("p", patient).query().singleRow();
		assertThat(row.get("method")).isEqualTo("CARD");
		assertThat((BigDecimal) row.get("amount")).isEqualByComparingTo("6000");
		assertThat(row.get("reason")).isEqualTo("Пациент переезжает");
		assertThat(row.get("bill_id")).isNull();
		this.mvc.perform(get("/billing/patients/{id}", patient).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("Возврат аванса")));
	}

	private MvcResult giveBack(long patient, String login, long branch, String amount) throws Exception {
		return this.mvc
			.perform(post("/billing/patients/{id}/advance-return", patient).param("branch", String.valueOf(branch))
				.param("method", "CARD")
				.param("amount", amount)
				.param("reason", "Пациент переезжает")
				.with(csrf())
				.with(this.logins.as(login)))
			.andExpect(status().is3xxRedirection())
			.andReturn();
	}

	@Test
	void concurrentRefundsOfOnePaymentNeverGiveBackMoreThanItTook() throws Exception {
		long bill = this.desk.billWith("admin", "1000.00");
		this.desk.pay(bill, "admin", Map.of("card", "1000"));
		long line = lines(bill).get(0);
		List<Callable<Object>> refunds = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			refunds.add(() -> this.desk.as("senior",
					() -> this.payments.refund(bill, line, Money.rub("150"), PaymentMethod.CARD, "тест", null)));
		}
		assertThat(this.desk.race(refunds)).isEqualTo(6);
		assertThat(view(bill).refunded()).isEqualTo(Money.rub("900"));
		assertThat(view(bill).lines().get(0).refundable()).isEqualTo(Money.rub("100"));
		assertThat(view(bill).status()).isEqualTo(BillStatus.PARTLY_REFUNDED);
	}

	// --- helpers

	private String cancelReasonWords() {
		return this.messages.getMessage("cancel.reason.PATIENT_ASKED", null, java.util.Locale.forLanguageTag("ru"));
	}

	private long completedVisit(String login) {
		return this.jdbc
			.sql("""
					select a.id from scheduling_appointment_v a where a.branch_id = :branch and a.status = 'COMPLETED'
					   and not exists (select 1 from bill b where b.appointment_id = a.id)
					   and exists (select 1 from catalog_service_price_v p where p.service_id = a.service_id)
					   and not exists (select 1 from billing_package_v k where k.patient_id = a.patient_id and k.units_left > 0)
					 order by random() limit 1
					""")
			.param("branch", this.logins.branchOf(login))
			.query(Long.class)
			.single();
	}

	private long checkout(long visit, String login) throws Exception {
		MvcResult result = this.mvc
			.perform(post("/billing/visits/{id}", visit).with(csrf()).with(this.logins.as(login)))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		String to = result.getResponse().getRedirectedUrl();
		assertThat(to).startsWith("/billing/bills/");
		return Long.parseLong(to.substring("/billing/bills/".length()));
	}

	private long otherBranchThan(String login) {
		return this.jdbc.sql("select min(id) from organization_branch_v where id <> :branch and active")
			.param("branch", this.logins.branchOf(login))
			.query(Long.class)
			.single();
	}

	private List<Long> lines(long bill) {
		return this.jdbc.sql("select id from bill_line where bill_id = :bill order by position")
			.param("bill", bill)
			.query(Long.class)
			.list();
	}

	private int lineCount(long bill) {
		return lines(bill).size();
	}

	private long patientOf(long bill) {
		return this.jdbc.sql("select patient_id from bill where id = :bill")
			.param("bill", bill)
			.query(Long.class)
			.single();
	}

	private BillView view(long bill) {
		return BillView.read(this.jdbc, bill).orElseThrow();
	}

	private PatientMoney.Summary summary(long patient) {
		return this.money.summary(patient, Money.RUB);
	}

}
