package dev.klinika.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bills and payments for the visits of a history at once, in a few statements: the demo
 * clinic's year, and the generator of the benchmarks. Every completed visit before
 * {@code before} that has none gets its bill at the price of its day (but one in fifty,
 * the patients who walked past the cash desk), and a mix of payments a clinic sees: card
 * 60 %, cash 25 %, bank transfer 5 %, the deposit (an advance paid by card the day
 * before) 7 %, and 3 % paid in half, left as debts; 3 % of bills carry a 10 % discount
 * with a reason, and one in two hundred has half a line refunded. Each branch's day of
 * cash has a closed shift, opened with 5 000 and cleared to the bank at the close,
 * counted right but one in forty. The mix is fixed by the visit's id, so the same history
 * always gets the same money. Six in ten patients of a course sold as a package bought
 * the package at its first visit and paid the course's visits from it.
 */
@Service
public class BillHistory {

	private final JdbcClient jdbc;

	BillHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** What was made. */
	public record Made(int bills, int transfers, int shifts) {
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public Made billCompletedVisits(Instant before, Currency currency) {
		OffsetDateTime until = OffsetDateTime.ofInstant(before, ZoneOffset.UTC);
		long lastTransfer = this.jdbc.sql("select coalesce(max(id), 0) from ledger_transfer")
			.query(Long.class)
			.single();
		String actor = "case when a.branch_id = (select min(id) from organization_branch_v) "
				+ "then case when extract(doy from a.ends_at)::int % 2 = 0 then 'admin' else 'senior' end else 'manager' end";
		int courses = sellCourses(until, currency, actor);
		long lastBill = this.jdbc.sql("select coalesce(max(id), 0) from bill").query(Long.class).single();
		int bills = this.jdbc.sql("""
				insert into bill (branch_id, patient_id, appointment_id, currency, created_by, created_at, issued_at)
				select a.branch_id, a.patient_id, a.id, :currency, {actor}, a.ends_at, a.ends_at
				  from scheduling_appointment_v a
				 where a.status = 'COMPLETED' and a.ends_at < :until
				   and exists (select 1 from catalog_service_price_v p where p.service_id = a.service_id)
				   and not exists (select 1 from bill b where b.appointment_id = a.id)
				   and (a.id * 29) % 50 <> 0
				 order by a.id
				""".replace("{actor}", actor))
			.param("currency", currency.getCurrencyCode())
			.param("until", until)
			.update();
		if (bills == 0) {
			return new Made(courses, 0, 0);
		}
		long reason = this.jdbc.sql("select min(id) from discount_reason where active").query(Long.class).single();
		// The price of the visit's day in its branch's zone, else the first price; 3 % at
		// 10 % off.
		this.jdbc
			.sql("""
					insert into bill_line (bill_id, position, kind, service_id, staff_id, name, quantity, unit_price,
					                       discount_kind, discount_value, discount_reason_id, discount, amount)
					select b.id, 1, 'SERVICE', a.service_id, a.staff_id, left(s.name, 200), 1, p.price,
					       case when d.off then 'PERCENT' end, case when d.off then 10 end, case when d.off then :reason end,
					       case when d.off then round(p.price * 0.10, 2) else 0 end,
					       p.price - case when d.off then round(p.price * 0.10, 2) else 0 end
					  from bill b
					  join scheduling_appointment_v a on a.id = b.appointment_id
					  join catalog_service_v s on s.id = a.service_id
					  join organization_branch_v br on br.id = b.branch_id
					  cross join lateral (select (a.id * 53) % 100 < 3 as off) d
					  cross join lateral (
					       select sp.price from catalog_service_price_v sp where sp.service_id = a.service_id
					        order by sp.valid_from <= (a.starts_at at time zone br.time_zone)::date desc,
					                 case when sp.valid_from <= (a.starts_at at time zone br.time_zone)::date then sp.valid_from end desc,
					                 sp.valid_from
					        limit 1) p
					 where b.id > :last
					""")
			.param("reason", reason)
			.param("last", lastBill)
			.update();
		this.jdbc.sql("""
				insert into ledger_account (kind, bill_id, currency, never_negative)
				select 'BILL', b.id, b.currency, true from bill b where b.id > :last
				""").param("last", lastBill).update();
		this.jdbc.sql("""
				insert into ledger_account (kind, branch_id, method, currency, never_negative)
				select 'TILL', br.id, m.method, :currency, false
				  from organization_branch_v br cross join (values ('CASH'), ('CARD'), ('TRANSFER')) m (method)
				on conflict do nothing
				""").param("currency", currency.getCurrencyCode()).update();
		this.jdbc.sql("""
				insert into ledger_account (kind, patient_id, currency, never_negative)
				select distinct 'DEPOSIT', b.patient_id, b.currency, true from bill b
				 where b.id > :last and (b.appointment_id * 37) % 100 between 90 and 96
				on conflict do nothing
				""").param("last", lastBill).update();
		// One closed shift per branch and day of cash: 08:00 to 21:00 in the branch's
		// zone.
		int shifts = this.jdbc
			.sql("""
					insert into cash_shift (branch_id, currency, opened_by, opened_at, opening_balance, closed_by, closed_at,
					                        expected, counted, close_note)
					select d.branch_id, :currency, d.actor, (d.day + time '08:00') at time zone d.zone, 5000, d.actor,
					       (d.day + time '21:00') at time zone d.zone, 5000,
					       case when d.short then 4900 else 5000 end,
					       case when d.short then 'Недостача 100 ₽: разбор со старшим администратором' end
					  from (select x.*, ((x.day - date '2000-01-01') + x.branch_id) % 40 = 0 as short
					          from (select distinct b.branch_id, br.time_zone as zone,
					                       (b.created_at at time zone br.time_zone)::date as day, b.created_by as actor
					                  from bill b join organization_branch_v br on br.id = b.branch_id
					                 where b.id > :last and (b.appointment_id * 37) % 100 between 60 and 84) x) d
					""")
			.param("currency", currency.getCurrencyCode())
			.param("last", lastBill)
			.update();
		// Advances the day before a payment from the deposit.
		this.jdbc
			.sql("""
					insert into ledger_transfer (batch_id, debit_account_id, credit_account_id, amount, code, method, patient_id,
					                             branch_id, created_by, created_at)
					select gen_random_uuid(), t.id, dep.id, l.amount, 'ADVANCE', 'CARD', b.patient_id, b.branch_id, b.created_by,
					       b.created_at - interval '1 day'
					  from bill b join bill_line l on l.bill_id = b.id
					  join ledger_account t on t.kind = 'TILL' and t.branch_id = b.branch_id and t.method = 'CARD' and t.currency = b.currency
					  join ledger_account dep on dep.kind = 'DEPOSIT' and dep.patient_id = b.patient_id and dep.currency = b.currency
					 where b.id > :last and (b.appointment_id * 37) % 100 between 90 and 96
					""")
			.param("last", lastBill)
			.update();
		// The payments: the method by the visit's id; debts are paid in half by card.
		this.jdbc
			.sql("""
					insert into ledger_transfer (batch_id, debit_account_id, credit_account_id, amount, code, method, bill_id,
					                             patient_id, branch_id, created_by, created_at, cash_shift_id)
					select gen_random_uuid(), src.id, acc.id,
					       case when p.method = 'DEBT' then round(l.amount / 2, 2) else l.amount end, 'PAYMENT',
					       case when p.method = 'DEBT' then 'CARD' else p.method end, b.id, b.patient_id, b.branch_id,
					       b.created_by, b.created_at,
					       case when p.method in ('CASH', 'CARD', 'TRANSFER', 'DEBT') then (
					            select s.id from cash_shift s join organization_branch_v br on br.id = s.branch_id
					             where s.branch_id = b.branch_id and s.opened_by = b.created_by
					               and (s.opened_at at time zone br.time_zone)::date = (b.created_at at time zone br.time_zone)::date
					             limit 1) end
					  from bill b join bill_line l on l.bill_id = b.id
					  join ledger_account acc on acc.kind = 'BILL' and acc.bill_id = b.id
					  cross join lateral (select case when r < 60 then 'CARD' when r < 85 then 'CASH' when r < 90 then 'TRANSFER'
					                                  when r < 97 then 'DEPOSIT' else 'DEBT' end as method
					                        from (select (b.appointment_id * 37) % 100 as r) x) p
					  join ledger_account src on
					       (p.method = 'DEPOSIT' and src.kind = 'DEPOSIT' and src.patient_id = b.patient_id and src.currency = b.currency)
					    or (p.method <> 'DEPOSIT' and src.kind = 'TILL' and src.branch_id = b.branch_id and src.currency = b.currency
					        and src.method = case when p.method = 'DEBT' then 'CARD' else p.method end)
					 where b.id > :last and l.amount > 0
					""")
			.param("last", lastBill)
			.update();
		// Cash cleared to the bank at each close, so that the drawer holds its 5 000
		// again.
		this.jdbc.sql("""
				insert into cash_movement (shift_id, kind, amount, reason, created_by, created_at)
				select s.id, 'PAID_OUT', sum(t.amount), 'Инкассация', s.closed_by, s.closed_at - interval '5 minutes'
				  from cash_shift s join ledger_transfer t on t.cash_shift_id = s.id
				 where t.id > :last and t.method = 'CASH' and t.code = 'PAYMENT'
				 group by s.id, s.closed_by, s.closed_at
				""").param("last", lastTransfer).update();
		// One bill in two hundred has half its line given back, by the method it was paid
		// by.
		this.jdbc
			.sql("""
					insert into ledger_transfer (batch_id, debit_account_id, credit_account_id, amount, code, method, bill_id,
					                             bill_line_id, patient_id, branch_id, reason, created_by, created_at)
					select gen_random_uuid(), acc.id, pay.debit_account_id, round(pay.amount / 2, 2), 'REFUND', pay.method, b.id,
					       l.id, b.patient_id, b.branch_id, 'Процедура прервана по состоянию пациента', b.created_by,
					       b.created_at + interval '2 days'
					  from bill b join bill_line l on l.bill_id = b.id
					  join ledger_account acc on acc.kind = 'BILL' and acc.bill_id = b.id
					  join ledger_transfer pay on pay.bill_id = b.id and pay.code = 'PAYMENT'
					 where b.id > :last and (b.appointment_id * 71) % 200 = 7 and pay.method in ('CARD', 'TRANSFER', 'DEPOSIT')
					   and pay.amount = l.amount and pay.amount >= 0.02
					""")
			.param("last", lastBill)
			.update();
		int transfers = this.jdbc.sql("select count(*) from ledger_transfer where id > :last")
			.param("last", lastTransfer)
			.query(Integer.class)
			.single();
		return new Made(bills + courses, transfers, shifts);
	}

	/** One visit of a course paid from its package. */
	private record CourseVisit(long visit, long patient, long branch, long staff, long service, String serviceName,
			OffsetDateTime start, OffsetDateTime end, long product, String name, int visits, BigDecimal price,
			int validityDays, String validityFrom, int freezeDays, boolean shareable, BigDecimal listPrice,
			String actor) {
	}

	/**
	 * Six in ten patients of a course sold as a package (massage, exercise therapy,
	 * manual therapy) bought it at their first visit (who came once, one in three): the
	 * sale paid by card, the course's visits within its validity paid from it, each at
	 * its share of the price to the kopeck (the last takes the rest).
	 */
	private int sellCourses(OffsetDateTime until, java.util.Currency currency, String actor) {
		this.jdbc
			.sql("""
					insert into ledger_account (kind, branch_id, method, currency, never_negative)
					select 'TILL', br.id, m.method, :currency, false
					  from organization_branch_v br cross join (values ('CASH'), ('CARD'), ('TRANSFER'), ('PACKAGE')) m (method)
					on conflict do nothing
					""")
			.param("currency", currency.getCurrencyCode())
			.update();
		List<CourseVisit> visits = this.jdbc
			.sql("""
					select * from (
					  select a.id as visit, a.patient_id as patient, a.branch_id as branch, a.staff_id as staff,
					         a.service_id as service, left(s.name, 200) as service_name, a.starts_at as start, a.ends_at as "end",
					         p.id as product, p.name, p.visits, p.price, p.validity_days, p.validity_from, p.freeze_days,
					         p.shareable, (select sp.price from catalog_service_price_v sp where sp.service_id = a.service_id
					                        order by sp.valid_from desc limit 1) as list_price, {actor} as actor,
					         row_number() over (partition by a.patient_id, p.id order by a.starts_at) as k,
					         min(a.starts_at) over (partition by a.patient_id, p.id) as first,
					        count(*) over (partition by a.patient_id, p.id) as course_visits
					    from scheduling_appointment_v a
					    join catalog_package_v p on p.kind = 'VISITS' and p.service_id = a.service_id and p.active
					    join catalog_service_v s on s.id = a.service_id
					   where a.status = 'COMPLETED' and a.ends_at < :until and (a.patient_id * 7) % 10 < 6
					     and not exists (select 1 from bill b where b.appointment_id = a.id)
					     and not exists (select 1 from patient_package pp where pp.patient_id = a.patient_id and pp.product_id = p.id)
					) c where k <= visits and start < first + make_interval(days => validity_days)
					  and (course_visits > 1 or patient % 3 = 0)
					 order by patient, product, start
					"""
				.replace("{actor}", actor))
			.param("until", until)
			.query(CourseVisit.class)
			.list();
		Map<List<Long>, List<CourseVisit>> courses = visits.stream()
			.collect(java.util.stream.Collectors.groupingBy(v -> List.of(v.patient(), v.product()),
					java.util.LinkedHashMap::new, java.util.stream.Collectors.toList()));
		String code = currency.getCurrencyCode();
		for (List<CourseVisit> course : courses.values()) {
			CourseVisit first = course.get(0);
			OffsetDateTime soldAt = first.start().minusMinutes(20);
			long bill = insertBill(first.branch(), first.patient(), null, code, first.actor(), soldAt);
			long line = this.jdbc
				.sql("""
						insert into bill_line (bill_id, position, kind, package_product_id, name, quantity, unit_price, discount, amount)
						values (:bill, 1, 'PACKAGE', :product, :name, 1, :price, 0, :price) returning id
						""")
				.param("bill", bill)
				.param("product", first.product())
				.param("name", first.name())
				.param("price", first.price())
				.query(Long.class)
				.single();
			long billAccount = account("BILL", "bill_id", bill, code);
			long till = this.jdbc
				.sql("""
						select id from ledger_account where kind = 'TILL' and branch_id = :branch and method = 'CARD' and currency = :c
						""")
				.param("branch", first.branch())
				.param("c", code)
				.query(Long.class)
				.single();
			transfer(till, billAccount, first.price(), "PAYMENT", "CARD", bill, null, null, first, soldAt);
			long pkg = this.jdbc
				.sql("""
						insert into patient_package (product_id, patient_id, branch_id, bill_id, bill_line_id, name, kind, service_id,
						                             units, price, currency, validity_days, validity_from, freeze_days, shareable,
						                             sold_at, created_by)
						values (:product, :patient, :branch, :bill, :line, :name, 'VISITS', :service, :units, :price, :c, :days,
						        :from, :freeze, :shareable, :at, :actor) returning id
						""")
				.param("product", first.product())
				.param("patient", first.patient())
				.param("branch", first.branch())
				.param("bill", bill)
				.param("line", line)
				.param("name", first.name())
				.param("service", first.service())
				.param("units", first.visits())
				.param("price", first.price())
				.param("c", code)
				.param("days", first.validityDays())
				.param("from", first.validityFrom())
				.param("freeze", first.freezeDays())
				.param("shareable", first.shareable())
				.param("at", soldAt)
				.param("actor", first.actor())
				.query(Long.class)
				.single();
			long pkgAccount = account("PACKAGE", "package_id", pkg, code);
			transfer(billAccount, pkgAccount, first.price(), "PACKAGE_SOLD", "PACKAGE", bill, line, pkg, first, soldAt);
			entry(pkg, "SOLD", BigDecimal.valueOf(first.visits()), null, null, first, soldAt);
			BigDecimal each = first.price().divide(BigDecimal.valueOf(first.visits()), 2, java.math.RoundingMode.DOWN);
			int k = 0;
			for (CourseVisit visit : course) {
				k++;
				BigDecimal value = k == first.visits()
						? first.price().subtract(each.multiply(BigDecimal.valueOf(first.visits() - 1))) : each;
				long visitBill = insertBill(visit.branch(), visit.patient(), visit.visit(), code, visit.actor(),
						visit.end());
				long visitLine = this.jdbc
					.sql("""
							insert into bill_line (bill_id, position, kind, service_id, staff_id, name, quantity, unit_price, discount,
							                       amount, patient_package_id, list_price)
							values (:bill, 1, 'SERVICE', :service, :staff, :name, 1, :value, 0, :value, :pkg, :list) returning id
							""")
					.param("bill", visitBill)
					.param("service", visit.service())
					.param("staff", visit.staff())
					.param("name", visit.serviceName())
					.param("value", value)
					.param("pkg", pkg)
					.param("list", visit.listPrice())
					.query(Long.class)
					.single();
				long visitAccount = account("BILL", "bill_id", visitBill, code);
				transfer(pkgAccount, visitAccount, value, "PAYMENT", "PACKAGE", visitBill, visitLine, pkg, visit,
						visit.end());
				entry(pkg, "SPENT", BigDecimal.ONE, visitLine, visit.visit(), visit, visit.end());
			}
		}
		return courses.size() + visits.size();
	}

	private long insertBill(long branch, long patient, @org.jspecify.annotations.Nullable Long visit, String currency,
			String actor, OffsetDateTime at) {
		return this.jdbc.sql("""
				insert into bill (branch_id, patient_id, appointment_id, currency, created_by, created_at, issued_at)
				values (:branch, :patient, :visit, :currency, :actor, :at, :at) returning id
				""")
			.param("branch", branch)
			.param("patient", patient)
			.param("visit", visit)
			.param("currency", currency)
			.param("actor", actor)
			.param("at", at)
			.query(Long.class)
			.single();
	}

	private long account(String kind, String column, long id, String currency) {
		return this.jdbc
			.sql("insert into ledger_account (kind, " + column
					+ ", currency, never_negative) values (:kind, :id, :currency, true) returning id")
			.param("kind", kind)
			.param("id", id)
			.param("currency", currency)
			.query(Long.class)
			.single();
	}

	private void transfer(long debit, long credit, BigDecimal amount, String code, String method, long bill,
			@org.jspecify.annotations.Nullable Long line, @org.jspecify.annotations.Nullable Long pkg,
			CourseVisit visit, OffsetDateTime at) {
		this.jdbc
			.sql("""
					insert into ledger_transfer (batch_id, debit_account_id, credit_account_id, amount, code, method, bill_id,
					                             bill_line_id, patient_id, branch_id, created_by, created_at, package_id)
					values (gen_random_uuid(), :debit, :credit, :amount, :code, :method, :bill, :line, :patient, :branch, :actor,
					        :at, :pkg)
					""")
			.param("debit", debit)
			.param("credit", credit)
			.param("amount", amount)
			.param("code", code)
			.param("method", method)
			.param("bill", bill)
			.param("line", line)
			.param("patient", visit.patient())
			.param("branch", visit.branch())
			.param("actor", visit.actor())
			.param("at", at)
			.param("pkg", pkg)
			.update();
	}

	private void entry(long pkg, String code, BigDecimal units, @org.jspecify.annotations.Nullable Long line,
			@org.jspecify.annotations.Nullable Long visit, CourseVisit course, OffsetDateTime at) {
		this.jdbc
			.sql("""
					insert into package_entry (package_id, code, units, bill_line_id, appointment_id, patient_id, created_by,
					                           created_at)
					values (:pkg, :code, :units, :line, :visit, :patient, :actor, :at)
					""")
			.param("pkg", pkg)
			.param("code", code)
			.param("units", units)
			.param("line", line)
			.param("visit", visit)
			.param("patient", course.patient())
			.param("actor", course.actor())
			.param("at", at)
			.update();
	}

	/**
	 * The demo's online prepayment: the sandbox provider, and a deposit of 1 000 for the
	 * manual therapist's consultation booked online (the services of that code).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int prepayOnline(String serviceCode) {
		this.jdbc.sql("update billing_settings set online_provider = 'SANDBOX'").update();
		return this.jdbc.sql("""
				insert into prepayment_service (service_id, amount)
				select id, 1000 from catalog_service_v where code = :code on conflict do nothing
				""").param("code", serviceCode).update();
	}

	/** Opens today's drawer of every active branch that has none open, with 5 000. */
	@Transactional(propagation = Propagation.MANDATORY)
	public int openDrawers(Instant at, Currency currency) {
		return this.jdbc
			.sql("""
					insert into cash_shift (branch_id, currency, opened_by, opened_at, opening_balance)
					select br.id, :currency, case when br.id = (select min(id) from organization_branch_v) then 'admin'
					                              else 'manager' end, :at, 5000
					  from organization_branch_v br
					 where br.active and not exists (select 1 from cash_shift s where s.branch_id = br.id and s.closed_at is null)
					""")
			.param("currency", currency.getCurrencyCode())
			.param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
			.update();
	}

}
