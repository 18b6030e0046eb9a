package dev.klinika.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Packages (абонементы) over HTTP as the demo logins: a product in the catalog, its sale
 * and activation, visits paid from it to the kopeck, the last visit raced by many desks,
 * frozen, expired and someone else's packages refused, a family's shared one, a
 * cancellation that gives the visit back, a no-show that burns it, the refund of the
 * rest, and another branch's package.
 */
@KlinikaTest
class PackageTests {

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
	Packages packages;

	@Autowired
	dev.klinika.scheduling.AppointmentLifecycle lifecycle;

	@BeforeEach
	void drawersOpen() {
		this.desk.openDrawers();
	}

	@Test
	void theCatalogRefusesAPackageWithoutAServiceOrVisitsAndKeepsAGoodOne() throws Exception {
		int before = count("select count(*) from package_product");
		postProduct(Map.of("name", "Без услуги", "kind", "VISITS", "visits", "0", "price", "-5", "validityDays", "30",
				"validityFrom", "SALE", "freezeDays", "0"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Выберите услугу или категорию.")))
			.andExpect(content().string(containsString("Визитов — от 1 до 999.")))
			.andExpect(content().string(containsString("Цена должна быть больше нуля.")));
		// Typed nonsense: an unknown kind, a price in words, a huge name, another service
		// id.
		postProduct(Map.of("name", "Я".repeat(151), "kind", "BOGUS", "serviceId", "999999999", "visits", "5", "price",
				"десять", "validityDays", "30", "validityFrom", "TOMORROW", "freezeDays", "-1"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Неверное значение.")))
			.andExpect(content().string(containsString("Введите число, например 1500 или 1500.50.")))
			.andExpect(content().string(containsString("Заморозка — от 0 до 365 дней.")));
		assertThat(count("select count(*) from package_product")).isEqualTo(before);
		long service = pricedService();
		long product = product("10 массажей " + UUID.randomUUID(), service, 10, "20000.00", 90, 14, false);
		var row = this.jdbc.sql("select * from catalog_package_v where id = :id")
			.param("id", product)
			.query()
			.singleRow();
		assertThat(row.get("kind")).isEqualTo("VISITS");
		assertThat(row.get("service_id")).isEqualTo(service);
		assertThat(row.get("visits")).isEqualTo(10);
		assertThat((BigDecimal) row.get("price")).isEqualByComparingTo("20000.00");
		assertThat(row.get("freeze_days")).isEqualTo(14);
		this.mvc.perform(get("/catalog/packages").with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString((String) row.get("name"))))
			.andExpect(content().string(containsString("90 дн. от продажи")));
	}

	@Test
	void aPaidSaleMakesThePackageAndItsVisitsAreBilledToTheKopeck() throws Exception {
		long service = pricedService();
		long product = product("3 визита " + UUID.randomUUID(), service, 3, "10000.00", 30, 0, false);
		long patient = patientOfBranch("admin");
		long pkg = sell(patient, product, "admin");
		var sold = packageRow(pkg);
		assertThat((BigDecimal) sold.get("units")).isEqualByComparingTo("3");
		assertThat((BigDecimal) sold.get("units_left")).isEqualByComparingTo("3");
		assertThat((BigDecimal) sold.get("money_left")).isEqualByComparingTo("10000.00");
		assertThat(this.jdbc.sql("""
				select code || ' ' || method || ' ' || amount from ledger_transfer where package_id = :id order by id
				""").param("id", pkg).query(String.class).list()).containsExactly("PACKAGE_SOLD PACKAGE 10000.00");
		List<String> visits = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			long bill = serviceBill(patient, service, "admin");
			cover(bill, pkg).andReturn();
			assertThat(this.desk.pay(bill, "admin", Map.of("key", UUID.randomUUID().toString()))
				.getFlashMap()
				.get("flashErrorKey")).isNull();
			visits.add(this.jdbc.sql("select amount from ledger_transfer where bill_id = :bill and method = 'PACKAGE'")
				.param("bill", bill)
				.query(BigDecimal.class)
				.single()
				.toPlainString());
			assertThat(view(bill).status()).isEqualTo(BillStatus.PAID);
		}
		assertThat(visits).containsExactly("3333.33", "3333.33", "3333.34");
		var after = this.jdbc.sql("select * from billing_package_v where id = :id")
			.param("id", pkg)
			.query()
			.singleRow();
		assertThat((BigDecimal) after.get("units_left")).isEqualByComparingTo("0");
		assertThat((BigDecimal) after.get("money_left")).isEqualByComparingTo("0");
		// A fourth visit is told the package is used up, and nothing is written.
		long fourth = serviceBill(patient, service, "admin");
		MvcResult refused = cover(fourth, pkg).andReturn();
		assertThat(refused.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.packageEmpty");
		assertThat(count("select count(*) from bill_line where patient_package_id is not null and bill_id = " + fourth))
			.isZero();
		this.mvc.perform(get("/billing/patients/{id}", patient).with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("0 из 3")))
			.andExpect(content().string(containsString("Использован")));
	}

	@Test
	void manyDesksSpendingTheLastVisitAtOnceSpendItOnce() throws Exception {
		long service = pricedService();
		long product = product("1 визит " + UUID.randomUUID(), service, 1, "1500.00", 30, 0, false);
		long patient = patientOfBranch("admin");
		long pkg = sell(patient, product, "admin");
		List<Long> bills = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			long bill = serviceBill(patient, service, "admin");
			cover(bill, pkg).andReturn();
			bills.add(bill);
		}
		List<Callable<Object>> calls = new ArrayList<>();
		for (long bill : bills) {
			calls.add(() -> this.desk.as("admin", () -> this.payments.pay(bill, Map.of(), null)));
		}
		assertThat(this.desk.race(calls)).isEqualTo(1);
		assertThat(count("select count(*) from package_entry where package_id = " + pkg + " and code = 'SPENT'"))
			.isEqualTo(1);
		var after = this.jdbc.sql("select * from billing_package_v where id = :id")
			.param("id", pkg)
			.query()
			.singleRow();
		assertThat((BigDecimal) after.get("units_left")).isEqualByComparingTo("0");
		assertThat((BigDecimal) after.get("money_left")).isEqualByComparingTo("0");
		assertThat(count("select count(*) from bill where id in (" + join(bills) + ") and issued_at is not null"))
			.isEqualTo(1);
	}

	@Test
	void aFrozenPackageWaitsAnotherPatientsIsNotThereAndAFamilysSharedOneIsUsable() throws Exception {
		long service = pricedService();
		long personal = product("Личный " + UUID.randomUUID(), service, 5, "5000.00", 60, 14, false);
		long family = product("Семейный " + UUID.randomUUID(), service, 5, "5000.00", 60, 0, true);
		List<Long> two = this.jdbc.sql("""
				select id from patients_card_v where home_branch_id = :branch and live order by random() limit 2
				""").param("branch", this.logins.branchOf("admin")).query(Long.class).list();
		long owner = two.get(0);
		long relative = two.get(1);
		long mine = sell(owner, personal, "admin");
		long shared = sell(owner, family, "admin");
		// Someone else's personal package: not there for the relative's bill.
		long relativesBill = serviceBill(relative, service, "admin");
		cover(relativesBill, mine).andExpect(status().isNotFound());
		MvcResult notYet = cover(relativesBill, shared).andReturn();
		assertThat(notYet.getResponse().getStatus()).isEqualTo(404);
		this.jdbc.sql("insert into patient_relative (patient_id, relative_id, relation) values (:a, :b, 'SPOUSE')")
			.param("a", relative)
			.param("b", owner)
			.update();
		assertThat(cover(relativesBill, shared).andReturn().getFlashMap().get("flashErrorKey")).isNull();
		this.desk.pay(relativesBill, "admin", Map.of());
		assertThat(this.jdbc.sql("select patient_id from package_entry where package_id = :p and code = 'SPENT'")
			.param("p", shared)
			.query(Long.class)
			.single()).isEqualTo(relative);
		// Frozen for five days: a visit is refused until then; a second freeze too.
		this.mvc
			.perform(post("/billing/packages/{id}/freeze", mine).param("days", "5")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection());
		var frozen = this.jdbc.sql("select * from billing_package_v where id = :id")
			.param("id", mine)
			.query()
			.singleRow();
		assertThat(frozen.get("frozen_days")).isEqualTo(5);
		long ownersBill = serviceBill(owner, service, "admin");
		assertThat(cover(ownersBill, mine).andReturn().getFlashMap().get("flashErrorKey"))
			.isEqualTo("billing.refused.packageFrozen");
		MvcResult again = this.mvc
			.perform(post("/billing/packages/{id}/freeze", mine).param("days", "2")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andReturn();
		assertThat(again.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.freezeOnce");
		assertThat(count("select count(*) from package_entry where package_id = " + mine + " and code = 'FROZEN'"))
			.isEqualTo(1);
		// The freeze moves the end on by its days.
		var sold = this.jdbc.sql("select sold_at, expires_at from billing_package_v where id = :id")
			.param("id", mine)
			.query()
			.singleRow();
		assertThat(Duration.between(((java.sql.Timestamp) sold.get("sold_at")).toInstant(),
				((java.sql.Timestamp) sold.get("expires_at")).toInstant()))
			.isEqualTo(Duration.ofDays(65));
	}

	@Test
	void anExpiredPackageIsClosedByTheJobAndItsMoneyStaysWithTheClinic() throws Exception {
		long service = pricedService();
		long product = product("Короткий " + UUID.randomUUID(), service, 4, "4000.00", 30, 0, false);
		long patient = patientOfBranch("admin");
		long pkg = sell(patient, product, "admin");
		// The sale a month and a day ago: its validity is over.
		backdate(pkg, 31);
		long bill = serviceBill(patient, service, "admin");
		assertThat(cover(bill, pkg).andReturn().getFlashMap().get("flashErrorKey"))
			.isEqualTo("billing.refused.packageExpired");
		assertThat(this.packages.expireDue()).isGreaterThanOrEqualTo(1);
		var after = this.jdbc.sql("select * from billing_package_v where id = :id")
			.param("id", pkg)
			.query()
			.singleRow();
		assertThat(after.get("closed")).isEqualTo(true);
		assertThat((BigDecimal) after.get("units_expired")).isEqualByComparingTo("4");
		assertThat((BigDecimal) after.get("money_left")).isEqualByComparingTo("0");
		assertThat(
				this.jdbc.sql("select amount from ledger_transfer where package_id = :p and code = 'PACKAGE_EXPIRED'")
					.param("p", pkg)
					.query(BigDecimal.class)
					.single())
			.isEqualByComparingTo("4000.00");
		// Run again: nothing more.
		this.packages.expireDue();
		assertThat(count("select count(*) from package_entry where package_id = " + pkg + " and code = 'EXPIRED'"))
			.isEqualTo(1);
	}

	@Test
	void aPackageEndingSoonWithVisitsLeftGivesTheDeskATaskAndThePatientAMessageOnce() throws Exception {
		long service = pricedService();
		String name = "Кончается " + UUID.randomUUID();
		long product = product(name, service, 6, "6000.00", 30, 0, false);
		long patient = patientOfBranch("admin");
		long pkg = sell(patient, product, "admin");
		// Sold twenty days ago: it ends in ten, within the clinic's fourteen days of
		// warning.
		backdate(pkg, 20);
		assertThat(this.packages.warnDue()).isGreaterThanOrEqualTo(1);
		this.packages.warnDue();
		assertThat(count("select count(*) from package_warning where package_id = " + pkg)).isEqualTo(1);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while ((count("select count(*) from task where cause_type = 'package' and cause_id = " + pkg) == 0
				|| count("select count(*) from outbox_message where idempotency_key = 'package:" + pkg + "'") == 0)
				&& System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		var task = this.jdbc
			.sql("select title, patient_id, branch_id from task where cause_type = 'package' and cause_id = :p")
			.param("p", pkg)
			.query()
			.listOfRows();
		assertThat(task).singleElement().satisfies(row -> {
			assertThat((String) row.get("title")).contains("«" + name + "»").contains("осталось 6 визитов");
			assertThat(row.get("patient_id")).isEqualTo(patient);
			assertThat(row.get("branch_id")).isEqualTo(this.logins.branchOf("admin"));
		});
		var message = this.jdbc.sql("select event, body from outbox_message where idempotency_key = :key")
			.param("key", "package:" + pkg)
			.query()
			.singleRow();
		assertThat(message.get("event")).isEqualTo("PACKAGE_EXPIRING");
		assertThat((String) message.get("body")).contains("«" + name + "»").contains("осталось 6 визитов");
	}

	@Test
	void aCancelledVisitGivesItsPackageVisitBackAndANoShowBurnsOne() throws Exception {
		List<Long> visits = this.jdbc
			.sql("""
					select a.id from scheduling_appointment_v a where a.branch_id = :branch and a.status in ('BOOKED', 'CONFIRMED')
					   and a.starts_at > now() + interval '2 days' and not exists (select 1 from bill b where b.appointment_id = a.id)
					   and exists (select 1 from catalog_service_price_v p where p.service_id = a.service_id)
					 order by random() limit 2
					""")
			.param("branch", this.logins.branchOf("admin"))
			.query(Long.class)
			.list();
		long cancelled = visits.get(0);
		var visit = this.jdbc.sql("select patient_id, service_id from scheduling_appointment_v where id = :id")
			.param("id", cancelled)
			.query()
			.singleRow();
		long patient = (Long) visit.get("patient_id");
		long product = product("Курс " + UUID.randomUUID(), (Long) visit.get("service_id"), 5, "7500.00", 90, 0, false);
		long pkg = sell(patient, product, "admin");
		// Checkout of the visit pays it from the package by itself.
		long bill = checkout(cancelled);
		assertThat(this.jdbc.sql("select patient_package_id from bill_line where bill_id = :bill")
			.param("bill", bill)
			.query(Long.class)
			.single()).isEqualTo(pkg);
		this.mvc.perform(get("/billing/bills/{id}", bill).with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Списать с абонемента")));
		this.desk.pay(bill, "admin", Map.of());
		assertThat(unitsLeft(pkg)).isEqualByComparingTo("4");
		this.mvc
			.perform(post("/scheduling/appointments/{id}/cancel", cancelled).param("reason", "PATIENT_ASKED")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection());
		awaitUnits(pkg, "5");
		assertThat(unitsLeft(pkg)).isEqualByComparingTo("5");
		assertThat((BigDecimal) this.jdbc.sql("select money_left from billing_package_v where id = :id")
			.param("id", pkg)
			.query()
			.singleValue()).isEqualByComparingTo("7500.00");
		assertThat(view(bill).status()).isEqualTo(BillStatus.REFUNDED);
		// A visit the patient missed burns one of their package that pays it.
		long missed = visits.get(1);
		var other = this.jdbc.sql("select patient_id, service_id from scheduling_appointment_v where id = :id")
			.param("id", missed)
			.query()
			.singleRow();
		long burning = sell((Long) other.get("patient_id"),
				product("Курс " + UUID.randomUUID(), (Long) other.get("service_id"), 2, "3000.00", 90, 0, false),
				"admin");
		this.desk.as("admin", () -> this.lifecycle.markNoShow(missed));
		awaitUnits(burning, "1");
		assertThat(unitsLeft(burning)).isEqualByComparingTo("1");
		long burnedBill = this.jdbc.sql("select id from bill where appointment_id = :id")
			.param("id", missed)
			.query(Long.class)
			.single();
		assertThat(view(burnedBill).status()).isEqualTo(BillStatus.PAID);
		assertThat(this.jdbc.sql("select amount from ledger_transfer where bill_id = :bill and method = 'PACKAGE'")
			.param("bill", burnedBill)
			.query(BigDecimal.class)
			.single()).isEqualByComparingTo("1500.00");
		assertThat(this.jdbc.sql("select code from package_entry where package_id = :p order by id desc limit 1")
			.param("p", burning)
			.query(String.class)
			.single()).isEqualTo("BURNED");
	}

	@Test
	void theRestIsRefundedOnceAndAnotherBranchsPackageIsNotThere() throws Exception {
		long service = pricedService();
		long product = product("Возвратный " + UUID.randomUUID(), service, 4, "6000.00", 90, 10, false);
		long patient = patientOfBranch("admin");
		long pkg = sell(patient, product, "admin");
		long bill = serviceBill(patient, service, "admin");
		cover(bill, pkg).andReturn();
		this.desk.pay(bill, "admin", Map.of());
		// The visit taken back goes to the package whole, and nowhere else.
		long visitLine = line(bill);
		assertThat(this.desk.refund(bill, "senior", visitLine, "1500", "DEPOSIT", "Жалоба")
			.getFlashMap()
			.get("flashErrorKey")).isEqualTo("billing.refused.packageRefund");
		assertThat(this.desk.refund(bill, "senior", visitLine, "100", "PACKAGE", "Жалоба")
			.getFlashMap()
			.get("flashErrorKey")).isEqualTo("billing.refused.packageRefundWhole");
		assertThat(this.desk.refund(bill, "senior", visitLine, "1500", "PACKAGE", "Жалоба")
			.getFlashMap()
			.get("flashErrorKey")).isNull();
		assertThat(unitsLeft(pkg)).isEqualByComparingTo("4");
		assertThat(view(bill).status()).isEqualTo(BillStatus.REFUNDED);
		assertThat(this.desk.refund(bill, "senior", visitLine, "1500", "PACKAGE", "Жалоба")
			.getFlashMap()
			.get("flashErrorKey")).isEqualTo("billing.refused.notRefundable");
		long again = serviceBill(patient, service, "admin");
		cover(again, pkg).andReturn();
		this.desk.pay(again, "admin", Map.of());
		// Another branch's package: its page and its steps are not there for "admin".
		long otherBranch = this.jdbc.sql("select min(id) from organization_branch_v where id <> :branch and active")
			.param("branch", this.logins.branchOf("admin"))
			.query(Long.class)
			.single();
		long stranger = this.jdbc.sql("""
				select id from patients_card_v where home_branch_id = :branch and live order by random() limit 1
				""").param("branch", otherBranch).query(Long.class).single();
		long theirs = sell(stranger, product, "owner", otherBranch);
		this.mvc.perform(get("/billing/packages/{id}", theirs).with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc
			.perform(post("/billing/packages/{id}/freeze", theirs).param("days", "3")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		this.mvc
			.perform(post("/billing/packages/{id}/refund", theirs)
				.param("branch", String.valueOf(this.logins.branchOf("admin")))
				.param("method", "CASH")
				.param("reason", "чужой")
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isNotFound());
		long ownBill = serviceBill(patient, service, "admin");
		cover(ownBill, theirs).andExpect(status().isNotFound());
		assertThat(count("select count(*) from package_entry where package_id = " + theirs)).isEqualTo(1);
		assertThat(
				count("select count(*) from bill_line where patient_package_id is not null and bill_id = " + ownBill))
			.isZero();
		String key = UUID.randomUUID().toString();
		for (int i = 0; i < 2; i++) {
			this.mvc
				.perform(post("/billing/packages/{id}/refund", pkg)
					.param("branch", String.valueOf(this.logins.branchOf("admin")))
					.param("method", "CASH")
					.param("reason", "Переезд")
					.param("key", key)
					.with(csrf())
					.with(this.logins.as("senior")))
				.andExpect(status().is3xxRedirection());
		}
		assertThat(
				this.jdbc.sql("select amount from ledger_transfer where package_id = :p and code = 'PACKAGE_REFUNDED'")
					.param("p", pkg)
					.query(BigDecimal.class)
					.list())
			.singleElement()
			.satisfies(amount -> assertThat(amount).isEqualByComparingTo("4500.00"));
		var after = this.jdbc.sql("select * from billing_package_v where id = :id")
			.param("id", pkg)
			.query()
			.singleRow();
		assertThat((BigDecimal) after.get("units_refunded")).isEqualByComparingTo("3");
		assertThat((BigDecimal) after.get("money_left")).isEqualByComparingTo("0");
		this.mvc.perform(get("/billing/packages/{id}", pkg).with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Возвращён")));
		MvcResult once = this.mvc
			.perform(post("/billing/packages/{id}/refund", pkg)
				.param("branch", String.valueOf(this.logins.branchOf("admin")))
				.param("method", "CASH")
				.param("reason", "Ещё раз")
				.with(csrf())
				.with(this.logins.as("senior")))
			.andReturn();
		assertThat(once.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.packageNothingLeft");
		// The sale's line is not refunded as a line: through the package only.
		long saleBill = (Long) after.get("bill_id");
		MvcResult line = this.desk.refund(saleBill, "senior", this.desk.onlyLine(saleBill), "100", "CARD", "тест");
		assertThat(line.getFlashMap().get("flashErrorKey")).isEqualTo("billing.refused.packageLine");
		this.mvc.perform(get("/billing/packages").with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString((String) after.get("name"))));
	}

	// Steps.

	/** Moves the sale days back, past the table's guard (as if sold then). */
	private void backdate(long pkg, int days) {
		this.jdbc.sql("alter table patient_package disable trigger patient_package_final").update();
		try {
			this.jdbc.sql("update patient_package set sold_at = now() - make_interval(days => :days) where id = :id")
				.param("days", days)
				.param("id", pkg)
				.update();
		}
		finally {
			this.jdbc.sql("alter table patient_package enable trigger patient_package_final").update();
		}
	}

	private org.springframework.test.web.servlet.ResultActions postProduct(Map<String, String> fields)
			throws Exception {
		var request = post("/catalog/packages").with(csrf()).with(this.logins.as("manager"));
		fields.forEach(request::param);
		return this.mvc.perform(request);
	}

	private long product(String name, long service, int visits, String price, int days, int freeze, boolean shared)
			throws Exception {
		Map<String, String> fields = new java.util.HashMap<>(Map.of("name", name, "kind", "VISITS", "serviceId",
				String.valueOf(service), "visits", String.valueOf(visits), "price", price, "validityDays",
				String.valueOf(days), "validityFrom", "SALE", "freezeDays", String.valueOf(freeze)));
		if (shared) {
			fields.put("shareable", "true");
		}
		postProduct(fields).andExpect(status().is3xxRedirection());
		return this.jdbc.sql("select id from package_product where name = :name")
			.param("name", name)
			.query(Long.class)
			.single();
	}

	/** Sells the product on a new bill paid by card; the package made. */
	private long sell(long patient, long product, String login) throws Exception {
		return sell(patient, product, login, this.logins.branchOf(login));
	}

	private long sell(long patient, long product, String login, long branch) throws Exception {
		long bill = this.desk.newBill(patient, branch, login);
		this.mvc
			.perform(post("/billing/bills/{id}/packages", bill).param("product", String.valueOf(product))
				.with(csrf())
				.with(this.logins.as(login)))
			.andExpect(status().is3xxRedirection());
		String due = view(bill).due().amount().toPlainString();
		assertThat(this.desk.pay(bill, login, Map.of("card", due)).getFlashMap().get("flashErrorKey")).isNull();
		return this.jdbc.sql("select id from patient_package where bill_id = :bill")
			.param("bill", bill)
			.query(Long.class)
			.single();
	}

	private long serviceBill(long patient, long service, String login) throws Exception {
		long bill = this.desk.newBill(patient, this.logins.branchOf(login), login);
		this.mvc
			.perform(post("/billing/bills/{id}/lines", bill).param("service", String.valueOf(service))
				.with(csrf())
				.with(this.logins.as(login)))
			.andExpect(status().is3xxRedirection());
		return bill;
	}

	/** Puts the bill's one line on the package, as the admin. */
	private org.springframework.test.web.servlet.ResultActions cover(long bill, long pkg) throws Exception {
		return this.mvc.perform(
				post("/billing/bills/{id}/lines/{line}/package", bill, line(bill)).param("pkg", String.valueOf(pkg))
					.with(csrf())
					.with(this.logins.as("admin")));
	}

	private long checkout(long visit) throws Exception {
		MvcResult result = this.mvc
			.perform(post("/billing/visits/{id}", visit).with(csrf()).with(this.logins.as("admin")))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		return Long.parseLong(result.getResponse().getRedirectedUrl().substring("/billing/bills/".length()));
	}

	private long pricedService() {
		return this.jdbc
			.sql("""
					select s.id from catalog_service_v s where s.active
					   and exists (select 1 from catalog_service_price_v p where p.service_id = s.id and p.valid_from <= current_date)
					 order by random() limit 1
					""")
			.query(Long.class)
			.single();
	}

	private long patientOfBranch(String login) {
		return this.jdbc.sql("""
				select id from patients_card_v where home_branch_id = :branch and live order by random() limit 1
				""").param("branch", this.logins.branchOf(login)).query(Long.class).single();
	}

	private long line(long bill) {
		return this.desk.onlyLine(bill);
	}

	private BillView view(long bill) {
		return BillView.read(this.jdbc, bill).orElseThrow();
	}

	/** Every column of the package as {@code billing_package_v} publishes it. */
	private Map<String, Object> packageRow(long pkg) {
		return this.jdbc.sql("select * from billing_package_v where id = :id").param("id", pkg).query().singleRow();
	}

	private BigDecimal unitsLeft(long pkg) {
		return this.jdbc.sql("select units_left from billing_package_v where id = :id")
			.param("id", pkg)
			.query(BigDecimal.class)
			.single();
	}

	private void awaitUnits(long pkg, String units) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (unitsLeft(pkg).compareTo(new BigDecimal(units)) != 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	private int count(String sql) {
		return this.jdbc.sql(sql).query(Integer.class).single();
	}

	private static String join(List<Long> ids) {
		return ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
	}

}
