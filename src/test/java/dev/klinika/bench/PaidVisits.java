package dev.klinika.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Years of paid visits for the benchmarks of money and analytics, made by set-based SQL
 * on the generated patients ({@link GeneratedPatients}, created by "bench"): each patient
 * comes a number of times drawn from an exponential law (for 10 visits a card, a mean of
 * 11.5 and one in eleven once; about one card in eight is left without a visit), from a
 * first day in the last five years on, every 7 to 90 days, to generated staff members of
 * every branch; every visit is completed and has a bill of its service at its price, paid
 * by card (60 %), cash (25 %), transfer (10 %) or online (5 %), 3 % with 10 % off, one in
 * fifty paid in half (a debt), one in two hundred refunded whole. Visits of one staff
 * member never overlap (20 minutes each from 08:00 on the branch's day): the schedule's
 * constraints, put back after the load, check it. The pseudo-random draws hash the
 * patient's and the visit's numbers: the same size makes the same history.
 */
public final class PaidVisits {

	/** Days of history, back from yesterday. */
	static final int DAYS = 5 * 365;

	/** Visits of one staff member a day, on average. */
	static final int PER_STAFF_DAY = 12;

	/** Days whose visits are loaded in one statement. */
	static final int DAY_CHUNK = 90;

	/** Visits whose bills are made in one round. */
	static final int BILL_CHUNK = 1_000_000;

	private PaidVisits() {
	}

	/** How long each step took, in milliseconds, and what it made. */
	public record Made(long visits, int staff, Map<String, Long> millis) {
	}

	/**
	 * Makes the history. The appointments' overlap constraints and indexes are taken off
	 * while it is loaded and put back after (which checks every visit against them), and
	 * the loading statements skip the foreign-key and ledger triggers
	 * ({@code session_replication_role = replica}): the rows are consistent by
	 * construction.
	 */
	public static Made generate(JdbcClient jdbc, TransactionTemplate transactions, long visits) {
		Bulk bulk = new Bulk(jdbc, transactions);
		Map<String, Long> millis = new LinkedHashMap<>();
		long first = jdbc.sql("select min(id) from patient where created_by = 'bench'").query(Long.class).single();
		long patients = jdbc.sql("select count(*) from patient where created_by = 'bench'").query(Long.class).single();
		List<Long> branches = jdbc.sql("select id from branch where active order by id").query(Long.class).list();
		int staff = (int) Math.max(20, (visits + (long) DAYS * PER_STAFF_DAY - 1) / ((long) DAYS * PER_STAFF_DAY));
		long started = System.nanoTime();
		bulk.run("""
				insert into staff (surname, name, position)
				select 'Генерированный', 'Врач ' || g, 'Врач' from generate_series(1, :staff) g
				""", Map.of("staff", staff));
		String branchArray = String.join(",", branches.stream().map(String::valueOf).toList());
		bulk.run(
				"""
						create unlogged table bench_staff as
						select n, id, (array[%s])[1 + (n %% %d)] as branch_id
						  from (select row_number() over (order by id) - 1 as n, id from staff where surname = 'Генерированный') s
						"""
					.formatted(branchArray, branches.size()),
				Map.of());
		bulk.run("insert into staff_branch (staff_id, branch_id) select id, branch_id from bench_staff", Map.of());
		bulk.run(
				"""
						create unlogged table bench_service as
						select row_number() over (order by s.id) - 1 as n, s.id
						  from catalog_service_v s
						 where s.active and s.capacity = 1 and exists (select 1 from catalog_service_price_v p where p.service_id = s.id)
						""",
				Map.of());
		int services = jdbc.sql("select count(*) from bench_service").query(Integer.class).single();
		millis.put("staff and services", lap(started));

		// Each patient's visits: how many (exponential, its mean a tenth above the visits
		// per card, so that the total surely reaches the size asked; the last cards drawn
		// are left without visits), from which day, how far apart; visits past today are
		// never made: the first day leaves room for all of them. A visit's number in its
		// day gives its staff member and its time.
		started = System.nanoTime();
		bulk.run("""
				create unlogged table bench_visit as
				with p as (
				  select g as p, 1 + floor(-:scale * ln(1 - u1))::int as n, 7 + floor(83 * u2)::int as gap, u3
				    from generate_series(0, :patients - 1) g
				    cross join lateral (select (hashint8(g) & 2147483647) / 2147483648.0 as u1,
				                               (hashint8(g + 7919) & 2147483647) / 2147483648.0 as u2,
				                               (hashint8(g + 104729) & 2147483647) / 2147483648.0 as u3) u
				), fitted as (
				  select p, n, least(gap, (:days - 1) / greatest(n - 1, 1)) as gap, u3 from p
				), v as (
				  select f.p, k, floor(f.u3 * (:days - (f.n - 1) * f.gap))::int + (k - 1) * f.gap as day
				    from fitted f cross join lateral generate_series(1, f.n) k
				   order by f.p, k
				   limit :visits
				)
				select v.p, v.k, v.day, row_number() over (partition by v.day order by v.p, v.k) - 1 as r from v
				""", Map.of("patients", patients, "days", DAYS, "visits", visits, "scale", 1.1 * visits / patients));
		bulk.run("create index on bench_visit (day)", Map.of());
		millis.put("visits drawn", lap(started));
		long made = jdbc.sql("select count(*) from bench_visit").query(Long.class).single();

		started = System.nanoTime();
		List<String> definitions = jdbc.sql("""
				select 'alter table appointment add constraint ' || conname || ' ' || pg_get_constraintdef(oid)
				  from pg_constraint where conrelid = 'appointment'::regclass and contype = 'x'
				union all
				select pg_get_indexdef(i.indexrelid) from pg_index i
				 where i.indrelid = 'appointment'::regclass and not i.indisprimary
				   and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
				""").query(String.class).list();
		jdbc.sql("select conname from pg_constraint where conrelid = 'appointment'::regclass and contype = 'x'")
			.query(String.class)
			.list()
			.forEach(name -> bulk.run("alter table appointment drop constraint " + name, Map.of()));
		jdbc.sql("""
				select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
				 where i.indrelid = 'appointment'::regclass and not i.indisprimary
				""").query(String.class).list().forEach(name -> bulk.run("drop index " + name, Map.of()));
		// In the order of time, as a clinic's bookings come: the overlap constraint's
		// index splits its pages by the visit's id after the staff member (see
		// docs/benchmarks.md), so ids in the order of patients would make every check
		// scan a staff member's whole history.
		for (int from = 0; from < DAYS; from += DAY_CHUNK) {
			bulk.run(
					"""
							insert into appointment (branch_id, staff_id, patient_id, service_id, during, status, created_by, created_at,
							                         source)
							select st.branch_id, st.id, :first + v.p, sv.id, tstzrange(t.start, t.start + interval '20 minutes', '[)'),
							       'COMPLETED', 'bench', t.start - interval '3 days', 'STAFF'
							  from bench_visit v
							  join bench_staff st on st.n = v.r % :staff
							  join bench_service sv on sv.n = (hashint8(v.p * 31 + v.k) & 2147483647) % :services
							  join branch br on br.id = st.branch_id
							  cross join lateral (select ((current_date - 1 - (:days - 1 - v.day)) + time '08:00'
							                              + (v.r / :staff) * interval '20 minutes') at time zone br.time_zone as start) t
							 where v.day >= :from and v.day < :to
							 order by v.day, v.r
							""",
					Map.of("first", first, "staff", staff, "services", services, "days", DAYS, "from", from, "to",
							from + DAY_CHUNK));
		}
		millis.put("appointments", lap(started));
		for (String definition : definitions) {
			started = System.nanoTime();
			bulk.run(definition, Map.of());
			millis.put(definition.replaceAll(
					"^(alter table appointment add constraint|CREATE (UNIQUE )?INDEX) (\\w+).*$", "$3"), lap(started));
		}

		started = System.nanoTime();
		bills(jdbc, bulk, branches);
		millis.put("bills, lines and payments", lap(started));
		started = System.nanoTime();
		jdbc.sql("drop table bench_visit").update();
		jdbc.sql("drop table bench_staff").update();
		jdbc.sql("drop table bench_service").update();
		jdbc.sql("vacuum analyze").update();
		millis.put("vacuum analyze", lap(started));
		return new Made(made, staff, millis);
	}

	/** A bill for every generated visit, with its line and its payments. */
	private static void bills(JdbcClient jdbc, Bulk bulk, List<Long> branches) {
		for (long branch : branches) {
			bulk.run("""
					insert into ledger_account (kind, branch_id, method, currency, never_negative)
					select 'TILL', :branch, m, 'RUB', false from unnest(array['CASH', 'CARD', 'TRANSFER', 'ONLINE']) m
					on conflict do nothing
					""", Map.of("branch", branch));
		}
		long lowest = jdbc.sql("select coalesce(min(id), 0) from appointment where created_by = 'bench'")
			.query(Long.class)
			.single();
		long highest = jdbc.sql("select coalesce(max(id), 0) from appointment where created_by = 'bench'")
			.query(Long.class)
			.single();
		long reason = jdbc.sql("select min(id) from discount_reason").query(Long.class).single();
		for (long from = lowest; from <= highest; from += BILL_CHUNK) {
			long last = jdbc.sql("select coalesce(max(id), 0) from bill").query(Long.class).single();
			bulk.run(
					"""
							insert into bill (branch_id, patient_id, appointment_id, currency, created_by, created_at, issued_at)
							select a.branch_id, a.patient_id, a.id, 'RUB', 'admin', upper(a.during), upper(a.during)
							  from appointment a where a.id >= :from and a.id < :to and a.created_by = 'bench'
							""",
					Map.of("from", from, "to", from + BILL_CHUNK));
			// 3 % with 10 % off (rounded half up to the kopeck), with the first reason.
			bulk.run(
					"""
							insert into bill_line (bill_id, position, kind, service_id, staff_id, name, quantity, unit_price, discount_kind,
							                       discount_value, discount_reason_id, discount, amount)
							select b.id, 1, 'SERVICE', a.service_id, a.staff_id, s.name, 1, p.price,
							       case when d then 'PERCENT' end, case when d then 10 end, case when d then :reason::bigint end,
							       case when d then round(p.price * 0.10, 2) else 0 end,
							       p.price - case when d then round(p.price * 0.10, 2) else 0 end
							  from bill b join appointment a on a.id = b.appointment_id
							  join catalog_service_v s on s.id = a.service_id
							  cross join lateral (select price from catalog_service_price_v sp where sp.service_id = a.service_id
							                       order by sp.valid_from desc limit 1) p
							  cross join lateral (select b.id % 100 < 3 as d) dd
							 where b.id > :last
							""",
					Map.of("last", last, "reason", reason));
			bulk.run("""
					insert into ledger_account (kind, bill_id, currency, never_negative)
					select 'BILL', id, 'RUB', true from bill where id > :last
					""", Map.of("last", last));
			// The method by the bill's number: card 60 %, cash 25 %, transfer 10 %,
			// online
			// 5 %; one in fifty paid in half.
			bulk.run(
					"""
							insert into ledger_transfer (batch_id, debit_account_id, credit_account_id, amount, code, method, bill_id,
							                             patient_id, branch_id, created_by, created_at)
							select md5('pay' || b.id)::uuid, till.id, acc.id,
							       case when b.id % 50 = 7 then round(l.amount / 2, 2) else l.amount end, 'PAYMENT', m.method, b.id,
							       b.patient_id, b.branch_id, 'admin', b.created_at
							  from bill b join bill_line l on l.bill_id = b.id
							  join ledger_account acc on acc.kind = 'BILL' and acc.bill_id = b.id
							  cross join lateral (select case when h < 60 then 'CARD' when h < 85 then 'CASH' when h < 95 then 'TRANSFER'
							                                  else 'ONLINE' end as method
							                        from (select (hashint8(b.id) & 2147483647) % 100 as h) x) m
							  join ledger_account till on till.kind = 'TILL' and till.branch_id = b.branch_id and till.method = m.method
							 where b.id > :last and l.amount > 0
							""",
					Map.of("last", last));
			// One in two hundred refunded whole, a week later, by the method it came by.
			bulk.run(
					"""
							insert into ledger_transfer (batch_id, debit_account_id, credit_account_id, amount, code, method, bill_id,
							                             bill_line_id, patient_id, branch_id, created_by, created_at, reason)
							select md5('refund' || t.bill_id)::uuid, t.credit_account_id, t.debit_account_id, t.amount, 'REFUND', t.method,
							       t.bill_id, l.id, t.patient_id, t.branch_id, 'senior', t.created_at + interval '7 days', 'Возврат'
							  from ledger_transfer t join bill_line l on l.bill_id = t.bill_id
							 where t.bill_id > :last and t.code = 'PAYMENT' and t.bill_id % 200 = 11 and t.bill_id % 50 <> 7
							""",
					Map.of("last", last));
		}
	}

	/**
	 * Statements of the load, each in a transaction of its own with room to sort and
	 * without the triggers of foreign keys and of the ledger.
	 */
	private record Bulk(JdbcClient jdbc, TransactionTemplate transactions) {

		void run(String sql, Map<String, ?> params) {
			this.transactions.executeWithoutResult(status -> {
				this.jdbc.sql("set local work_mem = '512MB'").update();
				this.jdbc.sql("set local maintenance_work_mem = '1GB'").update();
				this.jdbc.sql("set local session_replication_role = replica").update();
				this.jdbc.sql(sql).params(params).update();
			});
		}

	}

	private static long lap(long started) {
		return (System.nanoTime() - started) / 1_000_000;
	}

}
