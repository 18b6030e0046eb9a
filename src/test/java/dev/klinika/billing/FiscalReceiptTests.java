package dev.klinika.billing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Fiscal receipts against ATOL Online's API on loopback: what a receipt says for a split
 * payment, a partial payment and its debt, an advance and a refund; the register's 500, a
 * slow answer after it registered, an expired token and a refusal; the status on the
 * bill, and the "no register" mode.
 */
@SpringBootTest(properties = { "db-scheduler.enabled=false", "klinika.billing.atol.login=" + AtolServer.LOGIN,
		"klinika.billing.atol.password=" + AtolServer.PASSWORD, "klinika.billing.atol.group=" + AtolServer.GROUP,
		"klinika.billing.atol.timeout=1s", "klinika.billing.atol.poll=0s", "klinika.billing.atol.max-attempts=3" })
@AutoConfigureMockMvc
@ActiveProfiles("test")
class FiscalReceiptTests {

	static final AtolServer atol = start();

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Desk desk;

	@Autowired
	Receipts receipts;

	@Autowired
	Payments payments;

	private final JsonMapper json = JsonMapper.builder().build();

	static AtolServer start() {
		try {
			return new AtolServer();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void atolUrl(DynamicPropertyRegistry registry) {
		registry.add("klinika.billing.atol.url", atol::url);
	}

	@AfterAll
	static void stop() {
		atol.close();
	}

	@BeforeEach
	void registerOn() throws Exception {
		this.desk.openDrawers();
		fiscal("ATOL");
		// Receipts of other tests' payments are done with.
		this.jdbc
			.sql("update fiscal_receipt set status = 'FAILED', error = 'old' where status in ('PENDING', 'WAITING')")
			.update();
		atol.script.clear();
	}

	@AfterEach
	void registerOff() throws Exception {
		fiscal("NONE");
	}

	@Test
	void aSplitPaymentIsOneFullPaymentReceiptRegisteredWithItsFiscalAttributes() throws Exception {
		long bill = this.desk.billWith("admin", "1000.00");
		this.desk.pay(bill, "admin", Map.of("cash", "300", "card", "700"));
		Map<String, Object> receipt = receiptOf(bill);
		assertThat(receipt.get("status")).isEqualTo("PENDING");
		assertThat(receipt.get("operation")).isEqualTo("sell");
		Map<String, Object> document = document(receipt);
		assertThat(document.get("items")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.singleElement()
			.satisfies(item -> {
				Map<?, ?> line = (Map<?, ?>) item;
				assertThat(line.get("name")).isEqualTo("Материалы");
				assertThat(new BigDecimal(line.get("sum").toString())).isEqualByComparingTo("1000");
				assertThat(line.get("payment_method")).isEqualTo("full_payment");
				assertThat(line.get("payment_object")).isEqualTo(1);
				assertThat(line.get("measure")).isEqualTo(0);
				assertThat(line.get("vat")).isEqualTo(Map.of("type", "none"));
			});
		assertThat(payments(document)).containsExactly("0 300.00", "1 700.00");
		assertThat(new BigDecimal(document.get("total").toString())).isEqualByComparingTo("1000");
		Map<?, ?> company = (Map<?, ?>) document.get("company");
		assertThat(company.get("inn")).isEqualTo("7701234567");
		assertThat(company.get("email")).isEqualTo("info@dvizhenie.example");
		assertThat(company.get("sno")).isEqualTo("usn_income");
		assertThat((Map<?, ?>) document.get("client")).isNotEmpty();

		int tokens = atol.tokens;
		assertThat(this.receipts.runDue()).isEqualTo(1);
		assertThat(receiptOf(bill).get("status")).isEqualTo("WAITING");
		Map<String, Object> sent = atol.received.get(atol.received.size() - 1);
		assertThat(sent.get("operation")).isEqualTo("sell");
		assertThat(sent.get("external_id")).isEqualTo("klinika-receipt-" + receipt.get("id"));
		assertThat(sent.get("timestamp").toString()).matches("\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}:\\d{2}");
		assertThat(sent.get("receipt")).isEqualTo(document);
		assertThat(this.receipts.runDue()).isEqualTo(1);
		Map<String, Object> done = receiptOf(bill);
		assertThat(done.get("status")).isEqualTo("DONE");
		assertThat(done.get("fn_number")).isEqualTo("9999078900004312");
		assertThat(done.get("fiscal_document_attribute")).isEqualTo("3326115637");
		assertThat(atol.tokens - tokens).isLessThanOrEqualTo(1);
		this.mvc.perform(get("/billing/bills/{id}", bill).with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Чек зарегистрирован")))
			.andExpect(
					content().string(containsString("ФД № " + done.get("fiscal_document_number") + ", ФП 3326115637")));
	}

	@Test
	void aPartPaymentLeavesTheRestOnCreditAndTheDebtsPaymentIsACreditPayment() throws Exception {
		long bill = this.desk.billWith("admin", "1000.00");
		this.desk.pay(bill, "admin", Map.of("card", "400"));
		Map<String, Object> first = document(receiptOf(bill));
		assertThat(((List<?>) first.get("items")).stream()
			.map(item -> (Object) ((Map<?, ?>) item).get("payment_method"))
			.toList()).containsExactly("partial_payment");
		assertThat(payments(first)).containsExactly("1 400.00", "3 600.00");
		this.desk.pay(bill, "admin", Map.of("cash", "600"));
		List<Map<String, Object>> all = receiptsOf(bill);
		assertThat(all).hasSize(2);
		Map<String, Object> second = document(all.get(1));
		assertThat(second.get("items")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.singleElement()
			.satisfies(item -> {
				assertThat(((Map<?, ?>) item).get("payment_method")).isEqualTo("credit_payment");
				assertThat(new BigDecimal(((Map<?, ?>) item).get("sum").toString())).isEqualByComparingTo("600");
			});
		assertThat(payments(second)).containsExactly("0 600.00");
	}

	@Test
	void anAdvanceIsAnAdvanceReceiptAndItsSpendIsTheOffsetOfAnAdvance() throws Exception {
		long bill = this.desk.billWith("admin", "500.00");
		long patient = this.jdbc.sql("select patient_id from bill where id = :id")
			.param("id", bill)
			.query(Long.class)
			.single();
		long branch = this.logins.branchOf("admin");
		var batch = this.desk.as("admin", () -> this.payments.advance(patient, branch, PaymentMethod.CARD,
				dev.klinika.shared.Money.rub("800"), null));
		Map<String, Object> advance = this.jdbc.sql("select * from fiscal_receipt where batch_id = :batch")
			.param("batch", batch)
			.query()
			.singleRow();
		Map<?, ?> item = (Map<?, ?>) ((List<?>) document(advance).get("items")).get(0);
		assertThat(item.get("payment_method")).isEqualTo("advance");
		assertThat(item.get("payment_object")).isEqualTo(10);
		assertThat(payments(document(advance))).containsExactly("1 800.00");
		this.desk.pay(bill, "admin", Map.of("deposit", "500"));
		assertThat(payments(document(receiptOf(bill)))).containsExactly("2 500.00");
	}

	@Test
	void aRefundSendsARefundReceiptOfTheLineByTheMethodTheMoneyGoesBackBy() throws Exception {
		long bill = this.desk.billWith("admin", "900.00");
		this.desk.pay(bill, "admin", Map.of("cash", "900"));
		this.desk.refund(bill, "admin", this.desk.onlyLine(bill), "250", "CASH", "Часть не оказана");
		Map<String, Object> refund = receiptsOf(bill).get(1);
		assertThat(refund.get("operation")).isEqualTo("sell_refund");
		assertThat(payments(document(refund))).containsExactly("0 250.00");
		this.receipts.runDue();
		assertThat(atol.received.get(atol.received.size() - 1).get("operation")).isEqualTo("sell_refund");
	}

	@Test
	void theRegistersFailuresAreTriedAgainAndAReceiptIsNeverRegisteredTwice() throws Exception {
		long bill = this.desk.billWith("admin", "1200.00");
		this.desk.pay(bill, "admin", Map.of("card", "1200"));
		int before = atol.received.size();
		// A 500: nothing registered, tried again later.
		atol.next("500");
		this.receipts.runDue();
		Map<String, Object> after500 = receiptOf(bill);
		assertThat(after500.get("status")).isEqualTo("PENDING");
		assertThat(after500.get("attempts")).isEqualTo(1);
		assertThat(after500.get("error").toString()).contains("500");
		dueNow(bill);
		// Registered, but the answer came too late: the retry finds it under its external
		// id.
		atol.next("slow");
		this.receipts.runDue();
		assertThat(receiptOf(bill).get("status")).isEqualTo("PENDING");
		dueNow(bill);
		// The token expired: fetched again, once.
		atol.next("expired");
		int tokens = atol.tokens;
		this.receipts.runDue();
		assertThat(atol.tokens).isEqualTo(tokens + 1);
		assertThat(receiptOf(bill).get("status")).isEqualTo("WAITING");
		this.receipts.runDue();
		assertThat(receiptOf(bill).get("status")).isEqualTo("DONE");
		assertThat(atol.received.size() - before).isEqualTo(1);
	}

	@Test
	void aRefusedReceiptShowsTheRegistersWordsOnTheBillAndIsSentAgainOnRequest() throws Exception {
		long bill = this.desk.billWith("admin", "700.00");
		this.desk.pay(bill, "admin", Map.of("card", "700"));
		atol.next("refuse");
		this.receipts.runDue();
		Map<String, Object> refused = receiptOf(bill);
		assertThat(refused.get("status")).isEqualTo("FAILED");
		assertThat(refused.get("error")).isEqualTo("32 Ошибка валидации JSON: client.email");
		this.mvc.perform(get("/billing/bills/{id}", bill).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("Чек не принят")))
			.andExpect(content().string(containsString("Ошибка валидации JSON: client.email")))
			.andExpect(content().string(containsString("Отправить снова")));
		MvcResult resent = this.mvc
			.perform(post("/billing/bills/{id}/receipts/{r}/resend", bill, refused.get("id")).with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		assertThat(resent.getFlashMap().get("flashErrorKey")).isNull();
		assertThat(receiptOf(bill).get("status")).isEqualTo("PENDING");
		MvcResult twice = this.mvc
			.perform(post("/billing/bills/{id}/receipts/{r}/resend", bill, refused.get("id")).with(csrf())
				.with(this.logins.as("admin")))
			.andReturn();
		assertThat(twice.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.receiptNotFailed");
		this.receipts.runDue();
		this.receipts.runDue();
		assertThat(receiptOf(bill).get("status")).isEqualTo("DONE");
	}

	@Test
	void withoutARegisterNoReceiptIsWrittenAndTheBillSaysSo() throws Exception {
		fiscal("NONE");
		long bill = this.desk.billWith("admin", "300.00");
		this.desk.pay(bill, "admin", Map.of("card", "300"));
		assertThat(receiptsOf(bill)).isEmpty();
		this.mvc.perform(get("/billing/bills/{id}", bill).with(this.logins.as("admin")))
			.andExpect(content().string(containsString("без онлайн-кассы")));
	}

	@Test
	void theRegisterIsChosenOnlyByAManagerAndOnlyFromTheLists() throws Exception {
		this.mvc
			.perform(post("/billing/settings/fiscal").param("mode", "ATOL")
				.param("taxation", "usn_income")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isForbidden());
		MvcResult wrong = this.mvc
			.perform(post("/billing/settings/fiscal").param("mode", "ATOL")
				.param("taxation", "flat_tax")
				.with(csrf())
				.with(this.logins.as("manager")))
			.andReturn();
		assertThat(wrong.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.fiscalChoice");
		assertThat(this.jdbc.sql("select taxation from billing_settings").query(String.class).single())
			.isEqualTo("usn_income");
	}

	private void fiscal(String mode) throws Exception {
		MvcResult result = this.mvc
			.perform(post("/billing/settings/fiscal").param("mode", mode)
				.param("taxation", "usn_income")
				.param("servicesVat", "none")
				.param("goodsVat", "none")
				.with(csrf())
				.with(this.logins.as("manager")))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		assertThat(result.getFlashMap().get("flashErrorKey")).isNull();
	}

	private void dueNow(long bill) {
		this.jdbc.sql("update fiscal_receipt set next_at = now() - interval '1 second' where bill_id = :bill")
			.param("bill", bill)
			.update();
	}

	private Map<String, Object> receiptOf(long bill) {
		List<Map<String, Object>> all = receiptsOf(bill);
		assertThat(all).isNotEmpty();
		return all.get(0);
	}

	private List<Map<String, Object>> receiptsOf(long bill) {
		return this.jdbc
			.sql("""
					select r.id, r.operation, r.status, r.attempts, r.error, r.document::text as document, v.fn_number,
					       v.fiscal_document_number, v.fiscal_document_attribute
					  from fiscal_receipt r join billing_fiscal_receipt_v v on v.id = r.id where r.bill_id = :bill order by r.id
					""")
			.param("bill", bill)
			.query()
			.listOfRows();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> document(Map<String, Object> receipt) {
		return this.json.readValue(receipt.get("document").toString(), Map.class);
	}

	private static List<String> payments(Map<String, Object> document) {
		return ((List<?>) document.get("payments")).stream()
			.map(p -> ((Map<?, ?>) p).get("type") + " "
					+ new BigDecimal(((Map<?, ?>) p).get("sum").toString()).setScale(2))
			.toList();
	}

}
