-- care: plans with stages and an estimated cost, the sessions booked against a pathway, the steps
-- it went through (who did what, when), and the clinic's stall settings per service category.

-- A line belongs to a stage of the plan (1 when the plan has one), and keeps the price of one
-- session on the day it was prescribed (null for "anyone of a specialty": no one price).
alter table care_item
    add column stage int not null default 1 check (stage between 1 and 10),
    add column unit_price numeric(14,2) check (unit_price >= 0);

alter table care_pathway
    -- The consultant in charge (the card's at prescribing, changed later by hand).
    add column consultant_id bigint,
    -- The category whose stall setting the pathway follows: its first line's service's.
    add column category_id bigint,
    -- The sum of the priced lines' sessions at their prices.
    add column estimate numeric(14,2) not null default 0 check (estimate >= 0),
    -- How many times it stalled: a stall's task is made once per number.
    add column stalls int not null default 0,
    add column stalled_at timestamptz,
    add column ended_at timestamptz,
    add column end_reason text check (length(end_reason) <= 500);
create index care_pathway_open on care_pathway (status) where status in ('ACCEPTED', 'IN_PROGRESS', 'STALLED');
create index care_pathway_consultant on care_pathway (consultant_id, status);
create index care_pathway_branch on care_pathway (branch_id, created_at);

-- A visit booked against a line of a pathway (position null: the re-examination). A visit counts
-- against one pathway once; what became of it is the visit's own status.
create table care_session (
    id bigserial primary key,
    pathway_id bigint not null references care_pathway (id),
    position int,
    appointment_id bigint not null unique,
    attached_at timestamptz not null default now()
);
create index care_session_pathway on care_session (pathway_id);

-- The steps of a pathway, appended, never changed: what happened, when, who did it.
create table care_step (
    id bigserial primary key,
    pathway_id bigint not null references care_pathway (id),
    kind text not null check (kind in ('PRESCRIBED', 'ACCEPTED', 'DECLINED', 'BOOKED', 'ATTENDED', 'MISSED',
        'CANCELLED', 'STALLED', 'RESUMED', 'COURSE_DONE', 'COMPLETED', 'ABANDONED', 'CONSULTANT')),
    at timestamptz not null default now(),
    actor text not null,
    appointment_id bigint,
    -- The specialist of a session's step: who saw the patient, or waited in vain.
    staff_id bigint,
    position int,
    note text check (length(note) <= 500)
);
create index care_step_pathway on care_step (pathway_id, at);

-- How long a pathway may wait for its next booking before it stalls, and how long a stalled one
-- waits before it counts as abandoned: per service category, the row with no category the default.
create table care_setting (
    id bigserial primary key,
    category_id bigint unique,
    stall_days int not null check (stall_days between 1 and 365),
    abandon_days int not null check (abandon_days between 1 and 730)
);
create unique index care_setting_default on care_setting ((category_id is null)) where category_id is null;
insert into care_setting (category_id, stall_days, abandon_days) values (null, 7, 60);

-- Pathways as other modules read them (reports, analytics): never the tables.
create view care_pathway_v as
select id, patient_id, branch_id, appointment_id, prescribed_by, status, consultant_id, category_id, estimate,
       reexam_service_id, created_at, status_changed_at, ended_at, stalls
  from care_pathway;
create view care_session_v as
select pathway_id, position, appointment_id
  from care_session;
