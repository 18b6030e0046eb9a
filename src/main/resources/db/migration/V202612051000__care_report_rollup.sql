-- care: the report reads counters, not pathways. 500,000 pathways made a network's 90-day report
-- cost 600-700 ms (CareBenchmark): counting, joining the sessions' bills and classifying where the
-- abandoned ones stopped, on every view. Now:
--  * a pathway keeps its days in its branch's time zone (prescribed, started, completed), where an
--    abandoned one stopped, and what was paid for its sessions' bills;
--  * every change of pathways appends rows of differences (-old, +new) per day, branch, doctor,
--    category and stop, and per day and branch for the months' started and finished; a figure is a
--    sum. Nothing is updated in place, so two changes never wait for each other on a counter; the
--    stall watch folds the rows into one per key (PathwayProgress.foldCounts).
-- Distinct patients and the patients received are still read live (a count of distinct cannot be
-- summed), from a covering index on the prescription day.

alter table care_pathway
    add column created_day date,
    add column started_day date,
    add column ended_day date,
    add column stop text check (stop in ('NOT_BOOKED', 'NOT_CAME', 'AFTER_1', 'AFTER_2_3', 'AFTER_4', 'COURSE_DONE')),
    add column paid numeric(14,2) not null default 0;

-- Where an abandoned pathway stopped: the last step of the path it reached.
create function care_stop(pathway bigint) returns text language sql stable as $$
    select case when count(*) filter (where kind = 'COURSE_DONE') > 0 then 'COURSE_DONE'
                when count(*) filter (where kind = 'ATTENDED' and position is not null) >= 4 then 'AFTER_4'
                when count(*) filter (where kind = 'ATTENDED' and position is not null) >= 2 then 'AFTER_2_3'
                when count(*) filter (where kind = 'ATTENDED' and position is not null) = 1 then 'AFTER_1'
                when count(*) filter (where kind = 'BOOKED') > 0 then 'NOT_CAME'
                else 'NOT_BOOKED' end
      from care_step where pathway_id = pathway
$$;

-- The days and the stop, written by the database whoever writes the row. The stop is taken when
-- the pathway becomes abandoned (an update that sets it to null takes it again).
create function care_pathway_days() returns trigger language plpgsql as $$
declare
    zone text;
begin
    select time_zone into zone from organization_branch_v where id = new.branch_id;
    zone := coalesce(zone, 'UTC');
    new.created_day := (new.created_at at time zone zone)::date;
    new.started_day := (new.started_at at time zone zone)::date;
    new.ended_day := case when new.status = 'COMPLETED' then (new.ended_at at time zone zone)::date end;
    if new.status <> 'ABANDONED' then
        new.stop := null;
    elsif tg_op = 'INSERT' or old.status <> 'ABANDONED' or new.stop is null then
        new.stop := care_stop(new.id);
    end if;
    return new;
end
$$;
create trigger care_pathway_days before insert or update on care_pathway
    for each row execute function care_pathway_days();
update care_pathway set stop = null;

-- What was paid for a bill of a pathway's session (paid less refunded), as billing last said.
create table care_paid (
    bill_id    bigint primary key,
    pathway_id bigint not null references care_pathway (id),
    amount     numeric(14,2) not null
);
create index care_paid_pathway on care_paid (pathway_id);
insert into care_paid (bill_id, pathway_id, amount)
select b.id, cs.pathway_id, b.paid - b.refunded
  from care_session cs join billing_bill_v b on b.appointment_id = cs.appointment_id and b.voided_at is null;
update care_pathway p set paid = s.amount
  from (select pathway_id, sum(amount) as amount from care_paid group by 1) s where s.pathway_id = p.id;

create table care_report_count (
    day            date          not null,
    branch_id      bigint        not null,
    doctor_id      bigint,
    category_id    bigint,
    stop           text,
    prescribed     integer       not null,
    accepted       integer       not null,
    declined       integer       not null,
    started        integer       not null,
    completed      integer       not null,
    abandoned      integer       not null,
    proposed_value numeric(14,2) not null,
    accepted_value numeric(14,2) not null,
    paid           numeric(14,2) not null,
    appended       boolean       not null default true
);
create index care_report_count_day on care_report_count (day, branch_id);
create index care_report_count_appended on care_report_count (day) where appended;

create table care_month_count (
    day       date    not null,
    branch_id bigint  not null,
    started   integer not null,
    finished  integer not null,
    appended  boolean not null default true
);
create index care_month_count_day on care_month_count (day, branch_id);
create index care_month_count_appended on care_month_count (day) where appended;

-- The differences a statement's pathway rows make, signed: +1 for rows as they are (new_rows),
-- -1 for rows as they were (old_rows); the transition tables are seen only by the trigger's own
-- function, so it builds its statements itself.
create function care_report_count() returns trigger language plpgsql as $$
declare
    source text := case tg_op
        when 'INSERT' then 'select n.*, 1 as sign from new_rows n'
        when 'DELETE' then 'select o.*, -1 as sign from old_rows o'
        else 'select n.*, 1 as sign from new_rows n union all select o.*, -1 from old_rows o' end;
begin
    execute format($q$
        insert into care_report_count (day, branch_id, doctor_id, category_id, stop, prescribed, accepted, declined,
                                       started, completed, abandoned, proposed_value, accepted_value, paid)
        select created_day, branch_id, prescribed_by, category_id, stop, sum(sign),
               sum(sign * (accepted_at is not null)::int), sum(sign * (status = 'DECLINED')::int),
               sum(sign * (started_at is not null)::int), sum(sign * (status = 'COMPLETED')::int),
               sum(sign * (status = 'ABANDONED')::int), sum(sign * estimate),
               sum(sign * case when accepted_at is not null then estimate else 0 end), sum(sign * paid)
          from (%s) d
         group by 1, 2, 3, 4, 5
        having sum(sign) <> 0 or sum(sign * (accepted_at is not null)::int) <> 0
            or sum(sign * (status = 'DECLINED')::int) <> 0 or sum(sign * (started_at is not null)::int) <> 0
            or sum(sign * (status = 'COMPLETED')::int) <> 0 or sum(sign * (status = 'ABANDONED')::int) <> 0
            or sum(sign * estimate) <> 0 or sum(sign * case when accepted_at is not null then estimate else 0 end) <> 0
            or sum(sign * paid) <> 0
        $q$, source);
    execute format($q$
        insert into care_month_count (day, branch_id, started, finished)
        select day, branch_id, sum(started), sum(finished) from (
            select started_day as day, branch_id, sign as started, 0 as finished from (%s) d where started_day is not null
            union all
            select ended_day, branch_id, 0, sign from (%s) d where ended_day is not null) m
         group by 1, 2 having sum(started) <> 0 or sum(finished) <> 0
        $q$, source, source);
    return null;
end
$$;
create trigger care_report_count_added after insert on care_pathway
    referencing new table as new_rows for each statement execute function care_report_count();
create trigger care_report_count_changed after update on care_pathway
    referencing old table as old_rows new table as new_rows for each statement execute function care_report_count();
create trigger care_report_count_removed after delete on care_pathway
    referencing old table as old_rows for each statement execute function care_report_count();

insert into care_report_count (day, branch_id, doctor_id, category_id, stop, prescribed, accepted, declined,
                               started, completed, abandoned, proposed_value, accepted_value, paid, appended)
select created_day, branch_id, prescribed_by, category_id, stop, count(*),
       count(*) filter (where accepted_at is not null), count(*) filter (where status = 'DECLINED'),
       count(*) filter (where started_at is not null), count(*) filter (where status = 'COMPLETED'),
       count(*) filter (where status = 'ABANDONED'), sum(estimate),
       coalesce(sum(estimate) filter (where accepted_at is not null), 0), sum(paid), false
  from care_pathway group by 1, 2, 3, 4, 5;
insert into care_month_count (day, branch_id, started, finished, appended)
select day, branch_id, sum(started), sum(finished), false from (
    select started_day as day, branch_id, 1 as started, 0 as finished from care_pathway where started_day is not null
    union all
    select ended_day, branch_id, 0, 1 from care_pathway where ended_day is not null) m
 group by 1, 2;

-- The distinct patients of a period's prescriptions, from the index alone.
drop index care_pathway_report;
create index care_pathway_report on care_pathway (created_day)
    include (branch_id, prescribed_by, category_id, patient_id);
