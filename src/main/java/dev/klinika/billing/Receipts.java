package dev.klinika.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.organization.Clinic;
import dev.klinika.organization.ClinicProfile;
import dev.klinika.patients.PatientManagement;
import dev.klinika.shared.Money;

/**
 * Fiscal receipts (54-FZ). A payment, an advance or a refund taken while a register is
 * connected writes its receipt in its own transaction, as the register will receive it
 * (so a receipt is never lost, and never made for money that did not move); the worker
 * sends due receipts, asks for their fiscal attributes, and tries again what failed on
 * the way, under a lease so that two nodes never send one receipt at once. Klinika's id
 * of the receipt is its external id at the register, so a receipt sent twice is one.
 *
 * <p>
 * What a receipt says (tag 1214, the way of settlement): a bill paid in full at once is
 * {@code full_payment}; paid in part, {@code partial_payment} with the rest as credit
 * (payment type 3); a later payment of its debt, {@code credit_payment} for the lines it
 * covers; an advance onto the deposit, {@code advance}; a payment from the deposit is
 * paid by payment type 2 (the offset of an advance). A refund is {@code sell_refund} of
 * the line, by the method the money goes back by.
 */
@Service
class Receipts {

	private static final Logger log = LoggerFactory.getLogger(Receipts.class);

	private final JdbcClient jdbc;

	private final BillingSettings settings;

	private final ClinicProfile clinic;

	private final PatientManagement patients;

	private final FiscalRegister register;

	private final AtolProperties atol;

	private final JsonMapper json;

	private final TransactionTemplate transactions;

	private final Clock clock;

	Receipts(JdbcClient jdbc, BillingSettings settings, ClinicProfile clinic, PatientManagement patients,
			FiscalRegister register, AtolProperties atol, JsonMapper json, TransactionTemplate transactions,
			Clock clock) {
		this.jdbc = jdbc;
		this.settings = settings;
		this.clinic = clinic;
		this.patients = patients;
		this.register = register;
		this.atol = atol;
		this.json = json;
		this.transactions = transactions;
		this.clock = clock;
	}

	/** A receipt and where it stands. */
	record Receipt(long id, UUID batch, String status, @Nullable String error, @Nullable String fiscalNumber,
			@Nullable String fiscalSign) {

		public boolean failed() {
			return "FAILED".equals(this.status);
		}

	}

	/** The receipts of a bill's payments and refunds, by their batch. */
	@Transactional(readOnly = true)
	public Map<UUID, Receipt> ofBill(long billId) {
		Map<UUID, Receipt> receipts = new LinkedHashMap<>();
		this.jdbc.sql("""
				select id, batch_id, status, error, fiscal ->> 'fiscal_document_number' as number,
				       fiscal ->> 'fiscal_document_attribute' as sign
				  from fiscal_receipt where bill_id = :bill order by id
				""")
			.param("bill", billId)
			.query((rs, n) -> new Receipt(rs.getLong("id"), rs.getObject("batch_id", UUID.class),
					rs.getString("status"), rs.getString("error"), rs.getString("number"), rs.getString("sign")))
			.list()
			.forEach(r -> receipts.put(r.batch(), r));
		return receipts;
	}

	/**
	 * A payment of a bill: {@code before} is the bill as it was before the money came.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void forPayment(UUID batch, BillView before, Map<PaymentMethod, Money> parts) {
		BillingSettings.Fiscal fiscal = this.settings.fiscal();
		if (!fiscal.atol()) {
			return;
		}
		Money paid = parts.values().stream().reduce(Money.zero(before.currency()), Money::plus);
		Money paidBefore = before.paid().minus(before.refunded());
		List<Map<String, Object>> items = new ArrayList<>();
		List<Map<String, Object>> payments = payments(parts);
		if (paidBefore.isZero()) {
			boolean full = paid.compareTo(before.total()) >= 0;
			for (BillView.Line line : before.lines()) {
				if (line.amount().isPositive()) {
					items.add(item(line, line.amount(), full ? "full_payment" : "partial_payment", fiscal));
				}
			}
			if (!full) {
				payments.add(payment(3, before.total().minus(paid)));
			}
		}
		else {
			// The debt's payment covers the lines in their order, after what was paid
			// before.
			Money skip = paidBefore;
			Money left = paid;
			for (BillView.Line line : before.lines()) {
				Money uncovered = line.amount().minus(line.amount().min(skip));
				skip = skip.minus(line.amount().min(skip));
				Money share = uncovered.min(left);
				left = left.minus(share);
				if (share.isPositive()) {
					items.add(item(line, share, "credit_payment", fiscal));
				}
			}
		}
		write(fiscal, batch, "sell", before.id(), before.patientId(), before.branchId(), paid, items, payments);
	}

	/** An advance onto the patient's deposit. */
	@Transactional(propagation = Propagation.MANDATORY)
	void forAdvance(UUID batch, long patientId, long branchId, PaymentMethod method, Money amount) {
		advance("sell", batch, patientId, branchId, method, amount);
	}

	/** The deposit paid back out: the refund of an advance. */
	@Transactional(propagation = Propagation.MANDATORY)
	void forAdvanceReturned(UUID batch, long patientId, long branchId, PaymentMethod method, Money amount) {
		advance("sell_refund", batch, patientId, branchId, method, amount);
	}

	private void advance(String operation, UUID batch, long patientId, long branchId, PaymentMethod method,
			Money amount) {
		BillingSettings.Fiscal fiscal = this.settings.fiscal();
		if (!fiscal.atol()) {
			return;
		}
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("name", "Аванс за медицинские услуги");
		item.put("price", amount.amount());
		item.put("quantity", 1);
		item.put("sum", amount.amount());
		item.put("measure", 0);
		item.put("payment_method", "advance");
		item.put("payment_object", 10);
		item.put("vat", Map.of("type", "none"));
		write(fiscal, batch, operation, null, patientId, branchId, amount, List.of(item),
				payments(Map.of(method, amount)));
	}

	/** A refund of a line, by the method the money goes back by. */
	@Transactional(propagation = Propagation.MANDATORY)
	void forRefund(UUID batch, BillView bill, long lineId, Money amount, PaymentMethod to) {
		BillingSettings.Fiscal fiscal = this.settings.fiscal();
		if (!fiscal.atol()) {
			return;
		}
		BillView.Line line = bill.lines().stream().filter(l -> l.id() == lineId).findFirst().orElseThrow();
		write(fiscal, batch, "sell_refund", bill.id(), bill.patientId(), bill.branchId(), amount,
				List.of(item(line, amount, "full_payment", fiscal)), payments(Map.of(to, amount)));
	}

	private void write(BillingSettings.Fiscal fiscal, UUID batch, String operation, @Nullable Long billId,
			long patientId, long branchId, Money total, List<Map<String, Object>> items,
			List<Map<String, Object>> payments) {
		Clinic clinic = this.clinic.current();
		Map<String, Object> receipt = new LinkedHashMap<>();
		receipt.put("client", client(patientId, clinic));
		Map<String, Object> company = new LinkedHashMap<>();
		company.put("email", clinic.getEmail());
		company.put("sno", fiscal.taxation());
		company.put("inn", clinic.getLegal().inn());
		company.put("payment_address", clinic.getWebsite() != null ? clinic.getWebsite() : clip(clinic.getName(), 256));
		receipt.put("company", company);
		receipt.put("items", items);
		receipt.put("payments", payments);
		receipt.put("total", total.amount());
		OffsetDateTime now = now();
		this.jdbc
			.sql("""
					insert into fiscal_receipt (batch_id, operation, bill_id, patient_id, branch_id, total, document, status,
					                            next_at, created_at)
					values (:batch, :operation, :bill, :patient, :branch, :total, :document::jsonb, 'PENDING', :now, :now)
					on conflict (batch_id) do nothing
					""")
			.param("batch", batch)
			.param("operation", operation)
			.param("bill", billId)
			.param("patient", patientId)
			.param("branch", branchId)
			.param("total", total.amount())
			.param("document", this.json.writeValueAsString(receipt))
			.param("now", now)
			.update();
	}

	/** The patient's email, else their main phone, else the clinic's email. */
	private Map<String, Object> client(long patientId, Clinic clinic) {
		return this.patients.view(patientId).<Map<String, Object>>map(patient -> {
			if (patient.getEmail() != null && !patient.getEmail().isBlank()) {
				return Map.of("email", patient.getEmail());
			}
			if (!patient.getPhones().isEmpty()) {
				return Map.of("phone", patient.getPhones().get(0).e164());
			}
			return null;
		}).orElseGet(() -> Map.of("email", clinic.getEmail() == null ? "" : clinic.getEmail()));
	}

	/**
	 * An item of {@code sum}: the line's price and quantity when the sum divides into
	 * them to the kopeck, else the sum once (price × quantity must equal the sum, tag
	 * 1043).
	 */
	private static Map<String, Object> item(BillView.Line line, Money sum, String method,
			BillingSettings.Fiscal fiscal) {
		BigDecimal quantity = BigDecimal.valueOf(line.quantity());
		BigDecimal price = sum.amount().divide(quantity, 2, RoundingMode.DOWN);
		boolean even = line.quantity() > 1 && price.multiply(quantity).compareTo(sum.amount()) == 0;
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("name", clip(even || line.quantity() == 1 ? line.name() : line.name() + " × " + line.quantity(), 128));
		item.put("price", even ? price : sum.amount());
		item.put("quantity", even ? line.quantity() : 1);
		item.put("sum", sum.amount());
		item.put("measure", 0);
		// A package sold is an advance for the visits to come (tag 1214 = 3, the object a
		// payment, 10); the visits it pays are receipts of their own, set off against it.
		boolean sold = "PACKAGE".equals(line.kind());
		item.put("payment_method", sold ? "advance" : method);
		boolean service = "SERVICE".equals(line.kind()) || sold;
		item.put("payment_object", sold ? 10 : service ? 4 : 1);
		item.put("vat", Map.of("type", service ? fiscal.servicesVat() : fiscal.goodsVat()));
		return item;
	}

	private static List<Map<String, Object>> payments(Map<PaymentMethod, Money> parts) {
		Map<Integer, Money> byType = new java.util.TreeMap<>();
		parts.forEach((method, money) -> byType.merge(type(method), money, Money::plus));
		List<Map<String, Object>> payments = new ArrayList<>();
		byType.forEach((type, money) -> payments.add(payment(type, money)));
		return payments;
	}

	private static Map<String, Object> payment(int type, Money sum) {
		Map<String, Object> payment = new LinkedHashMap<>();
		payment.put("type", type);
		payment.put("sum", sum.amount());
		return payment;
	}

	/**
	 * ATOL's payment type: 0 cash, 1 cashless, 2 the offset of an advance or a package.
	 */
	private static int type(PaymentMethod method) {
		return switch (method) {
			case CASH -> 0;
			case CARD, TRANSFER, ONLINE -> 1;
			case DEPOSIT, PACKAGE, POINTS -> 2;
		};
	}

	private static String clip(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max);
	}

	/**
	 * Sends the due receipts and asks for the attributes of those waiting; how many were
	 * handled.
	 */
	int runDue() {
		if (!this.atol.configured()) {
			return 0;
		}
		List<Due> due = claim();
		for (Due receipt : due) {
			handle(receipt);
		}
		return due.size();
	}

	private record Due(long id, String operation, String status, @Nullable String uuid, String document, int attempts) {
	}

	/** Due receipts, leased for a minute to this node. */
	private List<Due> claim() {
		OffsetDateTime now = now();
		return this.transactions.execute(status -> this.jdbc.sql("""
				update fiscal_receipt r set locked_until = :lease, attempts = r.attempts + 1
				  from (select id from fiscal_receipt where status in ('PENDING', 'WAITING') and next_at <= :now
				           and (locked_until is null or locked_until < :now)
				         order by next_at limit 50 for update skip locked) due
				 where r.id = due.id
				returning r.id, r.operation, r.status, r.provider_uuid, r.document::text as document, r.attempts
				""")
			.param("now", now)
			.param("lease", now.plusMinutes(1))
			.query((rs, n) -> new Due(rs.getLong("id"), rs.getString("operation"), rs.getString("status"),
					rs.getString("provider_uuid"), rs.getString("document"), rs.getInt("attempts")))
			.list());
	}

	private void handle(Due receipt) {
		try {
			FiscalRegister.Answer answer;
			if ("PENDING".equals(receipt.status())) {
				@SuppressWarnings("unchecked")
				Map<String, Object> document = this.json.readValue(receipt.document(), Map.class);
				answer = this.register.send(receipt.operation(), "klinika-receipt-" + receipt.id(), document);
			}
			else {
				answer = this.register.report(receipt.uuid() == null ? "" : receipt.uuid());
			}
			record(receipt, answer);
		}
		catch (FiscalRegister.Unreachable ex) {
			log.warn("Receipt {} not sent: {}", receipt.id(), ex.getMessage());
			retry(receipt, ex.getMessage());
		}
	}

	private void record(Due receipt, FiscalRegister.Answer answer) {
		OffsetDateTime now = now();
		switch (answer.state()) {
			case DONE -> this.jdbc
				.sql("""
						update fiscal_receipt set status = 'DONE', fiscal = :fiscal::jsonb, provider_uuid = coalesce(:uuid, provider_uuid),
						       registered_at = :now, locked_until = null, error = null where id = :id
						""")
				.param("fiscal", this.json.writeValueAsString(answer.fiscal()))
				.param("uuid", answer.uuid())
				.param("now", now)
				.param("id", receipt.id())
				.update();
			case WAITING -> this.jdbc
				.sql("""
						update fiscal_receipt set status = 'WAITING', provider_uuid = :uuid, next_at = :next, locked_until = null
						 where id = :id
						""")
				.param("uuid", answer.uuid())
				.param("next", now.plus(this.atol.poll()))
				.param("id", receipt.id())
				.update();
			case REFUSED -> this.jdbc
				.sql("""
						update fiscal_receipt set status = 'FAILED', error = :error, provider_uuid = coalesce(:uuid, provider_uuid),
						       locked_until = null where id = :id
						""")
				.param("error", clip(answer.error() == null ? "refused" : answer.error(), 500))
				.param("uuid", answer.uuid())
				.param("id", receipt.id())
				.update();
		}
	}

	/**
	 * Tried again later, each time twice as late (up to an hour); left for a human at the
	 * end.
	 */
	private void retry(Due receipt, String why) {
		OffsetDateTime now = now();
		boolean last = receipt.attempts() >= this.atol.maxAttempts();
		long seconds = Math.min(3600, 5L << Math.min(receipt.attempts(), 10));
		this.jdbc.sql("""
				update fiscal_receipt set status = case when :last then 'FAILED' else status end, error = :error,
				       next_at = :next, locked_until = null where id = :id
				""")
			.param("last", last)
			.param("error", clip(why, 500))
			.param("next", now.plusSeconds(seconds))
			.param("id", receipt.id())
			.update();
	}

	/**
	 * A failed receipt sent again, after its cause was put right (the INN, the register's
	 * settings).
	 */
	@Transactional
	public void resend(long billId, long receiptId) {
		int changed = this.jdbc.sql("""
				update fiscal_receipt set status = case when provider_uuid is null then 'PENDING' else 'WAITING' end,
				       next_at = now(), attempts = 0, error = null
				 where id = :id and bill_id = :bill and status = 'FAILED'
				""").param("id", receiptId).param("bill", billId).update();
		if (changed == 0) {
			throw new BillingRefused("billing.refused.receiptNotFailed");
		}
	}

	/** Every few seconds, on one node: the due receipts. */
	@org.springframework.context.annotation.Bean
	static com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> fiscalReceiptsJob(Receipts receipts) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks
			.recurring("fiscal-receipts", com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.ofSeconds(5))
			.execute((instance, context) -> receipts.runDue());
	}

	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

}
