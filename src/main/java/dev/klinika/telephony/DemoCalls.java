package dev.klinika.telephony;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The demo clinic's telephony: a main line per branch and two tracking numbers bought for
 * ad sources, and a month of calls (40 a day per branch in working hours, one in ten
 * missed, as the articles say; most from the base's patients, some from strangers), every
 * missed call before today called back by an admin; and today, a few calls through the
 * PBX's path, two of them missed and waiting. Telephony writes its own demo history (the
 * demo module orders the steps), so that its tables are written only here.
 */
@Component
public class DemoCalls {

	private static final Logger log = LoggerFactory.getLogger(DemoCalls.class);

	private final JdbcClient jdbc;

	private final Calls calls;

	private final Clock clock;

	DemoCalls(JdbcClient jdbc, Calls calls, Clock clock) {
		this.jdbc = jdbc;
		this.calls = calls;
		this.clock = clock;
	}

	/** Writes the lines, the month of calls with their callbacks, and today's calls. */
	public void generate() {
		this.jdbc
			.sql("""
					insert into phone_line (number, branch_id, source_id, campaign)
					select '+7495' || lpad((1000000 + b.id * 100)::text, 7, '0'), b.id, null, null from organization_branch_v b
					union all
					select '+7495' || lpad((1000000 + b.id * 100 + s.n)::text, 7, '0'), b.id,
					       (select id from patients_source_v where name = case s.n when 1 then 'Яндекс.Директ' else '2ГИС' end),
					       case s.n when 1 then 'Яндекс Директ: осень' else 'Карты 2ГИС' end
					  from organization_branch_v b cross join (values (1), (2)) s(n)
					on conflict do nothing
					""")
			.update();
		int month = this.jdbc
			.sql("""
					with days as (select d::date as on_day from generate_series((current_date - 30)::timestamp, (current_date - 1)::timestamp, interval '1 day') d),
					     slots as (select b.id branch, b.time_zone, on_day, k
					                 from organization_branch_v b cross join days cross join generate_series(1, 40) k
					                where extract(isodow from on_day) < 7),
					     numbered as (select s.*, row_number() over () n from slots s),
					     phones as (select number, patient_id, row_number() over (order by patient_id) n from patients_phone_v where main),
					     total as (select count(*) c from phones)
					insert into call (vendor, vendor_call_id, direction, caller, called, line, branch_id, employee,
					                  started_at, answered_at, ended_at, patient_id, source_id, campaign, handled_at, handled_by)
					select 'demo', 'demo-' || x.n, 'IN', coalesce(p.number, '+7999' || lpad((x.n * 7919 % 10000000)::text, 7, '0')),
					       l.number, l.number, x.branch,
					       '10' || (case when x.n % 10 = 3 then (x.n / 10) % 5 else x.n % 5 end), x.started,
					       case when x.n % 10 <> 3 then x.started + interval '12 seconds' end,
					       x.started + (20 + x.n % 400) * interval '1 second', p.patient_id, l.source_id, l.campaign,
					       case when x.n % 10 = 3 then x.started + interval '25 minutes' end,
					       case when x.n % 10 = 3 then 'callback' end
					  from (select n.*, ((n.on_day + time '09:00' + (n.k * 13 % 600) * interval '1 minute') at time zone n.time_zone)
					               as started from numbered n) x
					  cross join total
					  left join phones p on x.n % 6 <> 0 and p.n = 1 + (x.n * 31 % total.c)
					  join lateral (select number, source_id, campaign from phone_line where branch_id = x.branch
					                 order by (source_id is null) desc, number offset (case when x.n % 4 = 0 then 1 + (x.n / 4) % 2 else 0 end)
					                 limit 1) l on true
					""")
			.update();
		// Each missed call was returned: an outgoing call 3 to 40 minutes later by one of
		// the admins.
		int callbacks = this.jdbc
			.sql("""
					insert into call (vendor, vendor_call_id, direction, caller, called, line, branch_id, employee,
					                  started_at, answered_at, ended_at, patient_id)
					select 'demo', 'demo-back-' || c.id, 'OUT', c.line, c.caller, c.line, c.branch_id, '10' || (c.id % 3),
					       c.ended_at + (3 + c.id % 38) * interval '1 minute', c.ended_at + (3 + c.id % 38) * interval '1 minute' + interval '9 seconds',
					       c.ended_at + (3 + c.id % 38) * interval '1 minute' + interval '95 seconds', c.patient_id
					  from call c where c.vendor = 'demo' and c.direction = 'IN' and c.answered_at is null
					""")
			.update();
		// The PBX's extensions 100 and 101 are the demo's admin and senior admin.
		this.jdbc
			.sql("""
					insert into pbx_employee (pbx_id, username) values ('100', 'admin'), ('101', 'senior') on conflict do nothing
					""")
			.update();
		// Today: a few calls through the real path, two of them missed and waiting for a
		// call back.
		Instant now = this.clock.instant();
		List<String> lines = this.jdbc.sql("select number from phone_line where active order by branch_id, number")
			.query(String.class)
			.list();
		List<String> known = this.jdbc.sql("select number from patients_phone_v where main order by patient_id limit 2")
			.query(String.class)
			.list();
		String[][] today = { { known.isEmpty() ? "+79990002233" : known.get(0), "ANSWERED", "95" },
				{ "+79161234501", "MISSED", "50" },
				{ known.size() < 2 ? "+79990003344" : known.get(1), "MISSED", "20" },
				{ "+79031112233", "ANSWERED", "12" } };
		for (int i = 0; i < today.length && !lines.isEmpty(); i++) {
			String line = lines.get((i * 2) % lines.size());
			Instant at = now.minus(Duration.ofMinutes(Long.parseLong(today[i][2])));
			String id = "demo-today-" + i;
			this.calls.apply(new CallEvent("demo", id + ":ring", id, CallEvent.Kind.RINGING, at, CallEvent.Direction.IN,
					today[i][0], line, "100", null));
			if ("ANSWERED".equals(today[i][1])) {
				this.calls.apply(new CallEvent("demo", id + ":answer", id, CallEvent.Kind.ANSWERED, at.plusSeconds(8),
						CallEvent.Direction.IN, today[i][0], line, "100", null));
			}
			this.calls.apply(new CallEvent("demo", id + ":end", id,
					"ANSWERED".equals(today[i][1]) ? CallEvent.Kind.ENDED : CallEvent.Kind.MISSED, at.plusSeconds(70),
					CallEvent.Direction.IN, today[i][0], line, null, null));
		}
		log.info("Demo calls: {} over the last month, {} callbacks", month, callbacks);
	}

}
