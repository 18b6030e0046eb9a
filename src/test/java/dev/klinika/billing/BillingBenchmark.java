package dev.klinika.billing;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;

import dev.klinika.bench.GeneratedPatients;
import dev.klinika.bench.Latencies;
import dev.klinika.bench.LoggedIn;
import dev.klinika.shared.Money;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Money at the desk on a year of history: {@code klinika.bench.entries} (default
 * 10,000,000) ledger transfers of split payments over 1,000,000 generated patients. Over
 * HTTP as the demo admin: a checkout (bill, line, split payment with its receipt written
 * for the register), the patient's money page, a day report of the branch, beside a
 * static file in the same run; the SQL of the balance and of the day report; then 100
 * spends of one deposit and 100 refunds of one payment sent at once. Run with
 * {@code ./mvnw -Pbench verify -Dtest=BillingBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; results go to target/bench/billing.md.
 */
@Tag("bench")
class BillingBenchmark {

	static final int ENTRIES = Integer.getInteger("klinika.bench.entries", 10_000_000);

	static final int PATIENTS = Integer.getInteger("klinika.bench.patients", 1_000_000);

	static final int RUNS = Integer.getInteger("klinika.bench.runs", 200);

	@Test
	void measuresCheckoutBalanceAndDayReportOnTenMillionLedgerEntries() throws Exception {
		try (ConfigurableApplicationContext context = GeneratedPatients.smallDemo("klinika_billing_bench")) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			long branch = GeneratedPatients.adminBranch(jdbc);
			long started = System.nanoTime();
			GeneratedPatients.insert(jdbc, branch, PATIENTS);
			long patientsAt = System.nanoTime();
			int bills = history(jdbc, branch, ENTRIES / 2);
			int sold = soldPackages(jdbc, branch);
			jdbc.sql("vacuum analyze").update();
			long generated = (System.nanoTime() - started) / 1_000_000;
			long historyMs = (System.nanoTime() - patientsAt) / 1_000_000;
			long transfers = jdbc.sql("select count(*) from ledger_transfer").query(Long.class).single();
			assertThat(transfers).isGreaterThanOrEqualTo(ENTRIES);
			// Receipts are written for the register with every payment (nothing is sent:
			// no login).
			jdbc.sql("update billing_settings set fiscal_mode = 'ATOL'").update();
			jdbc.sql("""
					insert into cash_shift (branch_id, currency, opened_by, opened_at, opening_balance)
					select :branch, 'RUB', 'admin', now(), 0
					 where not exists (select 1 from cash_shift where branch_id = :branch and closed_at is null)
					""").param("branch", branch).update();

			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			LoggedIn admin = LoggedIn.as(base, "admin");
			List<Long> patients = jdbc.sql("""
					select id from patient where created_by = 'bench' order by id limit 1000
					""").query(Long.class).list();
			String csrf = admin.csrf("/billing/patients/" + patients.get(0));
			Latencies statics = new Latencies("baseline: GET /favicon.svg, same client", RUNS);
			Latencies checkout = new Latencies(
					"checkout: POST bill + POST line + POST split payment (cash + card) with its receipt", RUNS);
			Latencies pay = new Latencies("POST split payment alone (ledger batch, receipt, audit, event)", RUNS);
			Latencies money = new Latencies("GET /billing/patients/{id} (balance, bills, movements)", RUNS);
			Latencies day = new Latencies("GET /billing/cash/day (a day of the year)", RUNS);
			Latencies balanceSql = new Latencies("SQL: PatientMoney.summary (deposit, debt, balance)", RUNS);
			Latencies daySql = new Latencies("SQL: CashDesk.dayReport", RUNS);
			PatientMoney patientMoney = context.getBean(PatientMoney.class);
			CashDesk desk = context.getBean(CashDesk.class);
			ZoneId zone = ZoneId.of("Europe/Moscow");
			as(context, "admin");
			for (int i = 0; i < RUNS + 20; i++) {
				boolean warm = i >= 20;
				long patient = patients.get(i % patients.size());
				LocalDate date = LocalDate.now(zone).minusDays(1 + i % 360);
				long t0 = System.nanoTime();
				HttpResponse<String> made = admin.post("/billing/patients/" + patient + "/bills", csrf,
						Map.of("branch", String.valueOf(branch)));
				String bill = made.headers().firstValue("Location").orElseThrow();
				admin.post(bill.substring(bill.indexOf("/billing")) + "/lines", csrf,
						Map.of("goodsName", "Процедура", "goodsPrice", "1500", "quantity", "1"));
				long t1 = System.nanoTime();
				HttpResponse<String> paid = admin.post(bill.substring(bill.indexOf("/billing")) + "/pay", csrf,
						Map.of("cash", "500", "card", "1000", "key", java.util.UUID.randomUUID().toString()));
				long t2 = System.nanoTime();
				assertThat(paid.statusCode()).isEqualTo(302);
				if (warm) {
					checkout.record(t2 - t0);
					pay.record(t2 - t1);
					statics.time(() -> admin.get("/favicon.svg"));
					money.time(() -> assertThat(admin.get("/billing/patients/" + patient)).isEqualTo(200));
					day.time(() -> assertThat(admin.get("/billing/cash/day?branch=" + branch + "&date=" + date))
						.isEqualTo(200));
					balanceSql.time(() -> patientMoney.summary(patient, Money.RUB));
					daySql.time(() -> desk.dayReport(branch, date, zone));
				}
			}
			assertThat(jdbc.sql("select count(*) from fiscal_receipt").query(Integer.class).single())
				.isGreaterThanOrEqualTo(RUNS);

			// 100 spends of one deposit that holds ten of them, at once.
			long spender = patients.get(patients.size() - 1);
			admin.post("/billing/patients/" + spender + "/advance", csrf,
					Map.of("branch", String.valueOf(branch), "method", "CARD", "amount", "3000"));
			List<String> spendBills = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				String bill = newBill(admin, csrf, spender, branch);
				admin.post(bill + "/lines", csrf, Map.of("goodsName", "Процедура", "goodsPrice", "300"));
				spendBills.add(bill);
			}
			Race spends = race(spendBills.stream()
				.map(bill -> (Runnable) () -> admin.post(bill + "/pay", csrf, Map.of("deposit", "300")))
				.toList());
			BigDecimal depositLeft = patientMoney.summary(spender, Money.RUB).deposit().amount();
			int spent = jdbc
				.sql("""
						select count(*) from ledger_transfer where patient_id = :p and method = 'DEPOSIT' and code = 'PAYMENT'
						""")
				.param("p", spender)
				.query(Integer.class)
				.single();
			assertThat(spent).isEqualTo(10);
			assertThat(depositLeft).isEqualByComparingTo("0");

			// 100 refunds of 15 ₽ against one card payment of 1 000 ₽, at once.
			String refunded = newBill(admin, csrf, spender, branch);
			String refundBill = refunded;
			admin.post(refundBill + "/lines", csrf, Map.of("goodsName", "Процедура", "goodsPrice", "1000"));
			admin.post(refundBill + "/pay", csrf, Map.of("card", "1000"));
			long billId = Long.parseLong(refundBill.substring(refundBill.lastIndexOf('/') + 1));
			long line = jdbc.sql("select id from bill_line where bill_id = :b")
				.param("b", billId)
				.query(Long.class)
				.single();
			List<Runnable> refunds = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				refunds.add(() -> admin.post(refundBill + "/refund", csrf,
						Map.of("line", String.valueOf(line), "amount", "15", "to", "CARD", "reason", "Бенчмарк")));
			}
			Race refundRace = race(refunds);
			BigDecimal back = jdbc.sql("select refunded from billing_bill_v where id = :b")
				.param("b", billId)
				.query(BigDecimal.class)
				.single();
			assertThat(back).isEqualByComparingTo("990");

			// 100 spends of one package that holds ten visits, at once, each on its own
			// bill.
			long service = jdbc
				.sql("""
						select min(s.id) from catalog_service_v s
						 where exists (select 1 from catalog_service_price_v p where p.service_id = s.id and p.valid_from <= current_date)
						""")
				.query(Long.class)
				.single();
			String productName = "Бенчмарк " + java.util.UUID.randomUUID();
			admin.post("/catalog/packages", admin.csrf("/catalog/packages"),
					Map.of("name", productName, "kind", "VISITS", "serviceId", String.valueOf(service), "visits", "10",
							"price", "10000", "validityDays", "90", "validityFrom", "SALE", "freezeDays", "0"));
			long product = jdbc.sql("select id from package_product where name = :n")
				.param("n", productName)
				.query(Long.class)
				.single();
			String sale = newBill(admin, csrf, spender, branch);
			admin.post(sale + "/packages", csrf, Map.of("product", String.valueOf(product)));
			admin.post(sale + "/pay", csrf, Map.of("card", "10000"));
			long pkg = jdbc.sql("select id from patient_package where product_id = :p")
				.param("p", product)
				.query(Long.class)
				.single();
			List<String> packageBills = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				String bill = newBill(admin, csrf, spender, branch);
				admin.post(bill + "/lines", csrf, Map.of("service", String.valueOf(service)));
				long billNo = Long.parseLong(bill.substring(bill.lastIndexOf('/') + 1));
				long serviceLine = jdbc.sql("select id from bill_line where bill_id = :b")
					.param("b", billNo)
					.query(Long.class)
					.single();
				admin.post(bill + "/lines/" + serviceLine + "/package", csrf, Map.of("pkg", String.valueOf(pkg)));
				packageBills.add(bill);
			}
			Race packageRace = race(packageBills.stream()
				.map(bill -> (Runnable) () -> admin.post(bill + "/pay", csrf,
						Map.of("key", java.util.UUID.randomUUID().toString())))
				.toList());
			int visitsSpent = jdbc.sql("select count(*) from package_entry where package_id = :p and code = 'SPENT'")
				.param("p", pkg)
				.query(Integer.class)
				.single();
			BigDecimal visitsLeft = jdbc.sql("select units_left from billing_package_v where id = :p")
				.param("p", pkg)
				.query(BigDecimal.class)
				.single();
			BigDecimal packageMoney = jdbc.sql("select money_left from billing_package_v where id = :p")
				.param("p", pkg)
				.query(BigDecimal.class)
				.single();
			assertThat(visitsSpent).isEqualTo(10);
			assertThat(visitsLeft).isEqualByComparingTo("0");
			assertThat(packageMoney).isEqualByComparingTo("0");
			Packages packages = context.getBean(Packages.class);
			Latencies packagesSql = new Latencies("SQL: Packages.ofPatient (a card's packages with what is left)",
					RUNS);
			// The cards of the history that hold packages: the spender's first (warm-up).
			List<Long> holders = jdbc
				.sql("""
						select distinct patient_id from patient_package where created_by = 'bench' order by patient_id limit 1000
						""")
				.query(Long.class)
				.list();
			for (int i = 0; i < RUNS + 20; i++) {
				long patient = i < 20 ? spender : holders.get(i % holders.size());
				if (i < 20) {
					packages.ofPatient(patient);
				}
				else {
					packagesSql.time(() -> packages.ofPatient(patient));
				}
			}

			StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
					"Ledger transfers: %,d (%,d bills of a year, split cash and card) over %,d generated patients, "
							+ "%,d of them with a package; history generated in %d ms (%d ms with the patients).%n%n",
					transfers, bills, PATIENTS, sold, historyMs, generated));
			report.append(Latencies.header()).append("\n");
			for (Latencies latencies : List.of(statics, checkout, pay, money, day, balanceSql, daySql, packagesSql)) {
				report.append(latencies.row()).append("\n");
			}
			report.append(String.format(Locale.ROOT,
					"%nCheckout p95 %.1f ms (%.1f× the static file's p95); the payment alone %.1f ms.%n",
					checkout.percentile(95), checkout.percentile(95) / statics.percentile(95), pay.percentile(95)));
			report.append(String.format(Locale.ROOT,
					"100 deposit spends at once (the deposit held 10): %d spent, %s ₽ left, all answered in %d ms, "
							+ "slowest %d ms.%n",
					spent, depositLeft.toPlainString(), spends.wallMs(), spends.slowestMs()));
			report.append(String.format(Locale.ROOT,
					"100 refunds of 15 ₽ of one 1 000 ₽ payment at once: %s ₽ refunded (66 of them), all answered in "
							+ "%d ms, slowest %d ms.%n",
					back.toPlainString(), refundRace.wallMs(), refundRace.slowestMs()));
			report.append(String.format(Locale.ROOT,
					"100 spends at once of one package of 10 visits, each on its own bill: %d visits spent, %s left, "
							+ "%s ₽ left in it, all answered in %d ms, slowest %d ms.%n",
					visitsSpent, visitsLeft.toPlainString(), packageMoney.toPlainString(), packageRace.wallMs(),
					packageRace.slowestMs()));
			Path out = Path.of("target/bench/billing.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report.toString());
			System.out.println(report);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	private record Race(long wallMs, long slowestMs) {
	}

	/**
	 * One generated patient in ten bought a package of ten visits a month ago and spent
	 * three: a bill of the sale, its line, the package, its entries sold and spent (the
	 * spends' own bills are left out; the entries' guard is off while they load).
	 */
	private static int soldPackages(JdbcClient jdbc, long branch) {
		long service = jdbc.sql("select min(service_id) from catalog_service_price_v").query(Long.class).single();
		long product = jdbc.sql("""
				insert into package_product (name, kind, service_id, visits, price, validity_days, validity_from)
				values ('Бенчмарк: 10 визитов', 'VISITS', :service, 10, 10000, 90, 'SALE') returning id
				""").param("service", service).query(Long.class).single();
		int sold = jdbc
			.sql("""
					with sale as (
					  insert into bill (branch_id, patient_id, currency, created_by, created_at, issued_at)
					  select :branch, id, 'RUB', 'bench', now() - interval '30 days', now() - interval '30 days'
					    from patient where created_by = 'bench' and id % 10 = 0 returning id, patient_id),
					line as (
					  insert into bill_line (bill_id, position, kind, package_product_id, name, quantity, unit_price, amount)
					  select id, 1, 'PACKAGE', :product, 'Бенчмарк: 10 визитов', 1, 10000, 10000 from sale returning id, bill_id)
					insert into patient_package (product_id, patient_id, branch_id, bill_id, bill_line_id, name, kind, service_id,
					                             units, price, currency, validity_days, validity_from, freeze_days, shareable,
					                             sold_at, created_by)
					select :product, sale.patient_id, :branch, sale.id, line.id, 'Бенчмарк: 10 визитов', 'VISITS', :service, 10,
					       10000, 'RUB', 90, 'SALE', 0, false, now() - interval '30 days', 'bench'
					  from line join sale on sale.id = line.bill_id
					""")
			.param("branch", branch)
			.param("product", product)
			.param("service", service)
			.update();
		jdbc.sql("""
				insert into package_entry (package_id, code, units, patient_id, created_by, created_at)
				select id, 'SOLD', 10, patient_id, 'bench', sold_at from patient_package where created_by = 'bench'
				""").update();
		// Each package's money in its own account (here straight from the branch's card
		// till).
		jdbc.sql("""
				insert into ledger_account (kind, package_id, currency, never_negative)
				select 'PACKAGE', id, 'RUB', true from patient_package where created_by = 'bench'
				""").update();
		jdbc.sql("""
				insert into ledger_account (kind, branch_id, method, currency, never_negative)
				values ('TILL', :branch, 'CARD', 'RUB', false) on conflict do nothing
				""").param("branch", branch).update();
		jdbc.sql(
				"""
						insert into ledger_transfer (batch_id, debit_account_id, credit_account_id, amount, code, method, bill_id,
						                             patient_id, branch_id, created_by, created_at, package_id)
						select gen_random_uuid(), till.id, acc.id, 10000, 'PACKAGE_SOLD', 'PACKAGE', p.bill_id, p.patient_id,
						       p.branch_id, 'bench', p.sold_at, p.id
						  from patient_package p join ledger_account acc on acc.kind = 'PACKAGE' and acc.package_id = p.id
						  join ledger_account till on till.kind = 'TILL' and till.branch_id = :branch and till.method = 'CARD'
						 where p.created_by = 'bench'
						""")
			.param("branch", branch)
			.update();
		return sold;
	}

	/** A new bill without a visit for the patient over HTTP; its path. */
	private static String newBill(LoggedIn admin, String csrf, long patient, long branch) {
		String bill = admin
			.post("/billing/patients/" + patient + "/bills", csrf, Map.of("branch", String.valueOf(branch)))
			.headers()
			.firstValue("Location")
			.orElseThrow();
		return bill.substring(bill.indexOf("/billing"));
	}

	/**
	 * Sends the requests at once from as many threads; how long all took and the slowest.
	 */
	private static Race race(List<Runnable> requests) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(requests.size());
		CountDownLatch start = new CountDownLatch(1);
		AtomicLong slowest = new AtomicLong();
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (Runnable request : requests) {
				futures.add(pool.submit(() -> {
					start.await();
					long t = System.nanoTime();
					request.run();
					slowest.accumulateAndGet((System.nanoTime() - t) / 1_000_000, Math::max);
					return null;
				}));
			}
			long t = System.nanoTime();
			start.countDown();
			for (Future<?> future : futures) {
				future.get();
			}
			return new Race((System.nanoTime() - t) / 1_000_000, slowest.get());
		}
		finally {
			pool.shutdown();
		}
	}

	private static void as(ConfigurableApplicationContext context, String login) {
		var user = context.getBean(UserDetailsService.class).loadUserByUsername(login);
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
	}

	/**
	 * A year of paid bills of the generated patients, in chunks: each bill one line and a
	 * split payment (500 cash, the rest card), the ledger's balance trigger off while the
	 * consistent history is loaded and on again after.
	 */
	private static int history(JdbcClient jdbc, long branch, int bills) {
		jdbc.sql("""
				insert into ledger_account (kind, branch_id, method, currency, never_negative)
				select 'TILL', :branch, m, 'RUB', false from unnest(array['CASH', 'CARD']) m on conflict do nothing
				""").param("branch", branch).update();
		long cash = jdbc.sql("select id from ledger_account where kind = 'TILL' and branch_id = :b and method = 'CASH'")
			.param("b", branch)
			.query(Long.class)
			.single();
		long card = jdbc.sql("select id from ledger_account where kind = 'TILL' and branch_id = :b and method = 'CARD'")
			.param("b", branch)
			.query(Long.class)
			.single();
		long first = jdbc.sql("select min(id) from patient where created_by = 'bench'").query(Long.class).single();
		int patients = jdbc.sql("select count(*) from patient where created_by = 'bench'")
			.query(Integer.class)
			.single();
		jdbc.sql("alter table ledger_transfer disable trigger ledger_transfer_covered").update();
		try {
			int chunk = 250_000;
			for (int from = 0; from < bills; from += chunk) {
				int to = Math.min(bills, from + chunk) - 1;
				long last = jdbc.sql("select coalesce(max(id), 0) from bill").query(Long.class).single();
				jdbc.sql(
						"""
								insert into bill (branch_id, patient_id, currency, created_by, created_at, issued_at)
								select :branch, :first + (g::bigint * 7919) % :patients, 'RUB', case when g % 2 = 0 then 'admin' else 'senior' end,
								       t.at, t.at
								  from generate_series(:from, :to) g
								  cross join lateral (select now() - interval '1 day' - (g % 365) * interval '1 day'
								                             - (g % 660) * interval '1 minute' as at) t
								""")
					.param("branch", branch)
					.param("first", first)
					.param("patients", patients)
					.param("from", from)
					.param("to", to)
					.update();
				jdbc.sql(
						"""
								insert into bill_line (bill_id, position, kind, name, quantity, unit_price, amount)
								select id, 1, 'GOODS', 'Процедура', 1, 1000 + (id % 20) * 100, 1000 + (id % 20) * 100 from bill where id > :last
								""")
					.param("last", last)
					.update();
				jdbc.sql("""
						insert into ledger_account (kind, bill_id, currency, never_negative)
						select 'BILL', id, 'RUB', true from bill where id > :last
						""").param("last", last).update();
				jdbc.sql(
						"""
								insert into ledger_transfer (batch_id, debit_account_id, credit_account_id, amount, code, method, bill_id,
								                             patient_id, branch_id, created_by, created_at)
								select md5(b.id::text)::uuid, m.account, a.id, case when m.method = 'CASH' then 500 else l.amount - 500 end,
								       'PAYMENT', m.method, b.id, b.patient_id, b.branch_id, b.created_by, b.created_at
								  from bill b join bill_line l on l.bill_id = b.id join ledger_account a on a.kind = 'BILL' and a.bill_id = b.id
								  cross join (values ('CASH', :cash), ('CARD', :card)) m (method, account)
								 where b.id > :last
								""")
					.param("last", last)
					.param("cash", cash)
					.param("card", card)
					.update();
			}
		}
		finally {
			jdbc.sql("alter table ledger_transfer enable trigger ledger_transfer_covered").update();
		}
		return bills;
	}

}
