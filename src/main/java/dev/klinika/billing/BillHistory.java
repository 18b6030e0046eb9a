package dev.klinika.billing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;

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
 * always gets the same money. Payments of packages come with the packages.
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
		long lastBill = this.jdbc.sql("select coalesce(max(id), 0) from bill").query(Long.class).single();
		long lastTransfer = this.jdbc.sql("select coalesce(max(id), 0) from ledger_transfer")
			.query(Long.class)
			.single();
		String actor = "case when a.branch_id = (select min(id) from organization_branch_v) "
				+ "then case when extract(doy from a.ends_at)::int % 2 = 0 then 'admin' else 'senior' end else 'manager' end";
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
			return new Made(0, 0, 0);
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
		return new Made(bills, transfers, shifts);
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
