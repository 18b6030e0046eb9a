-- leads: inquiries from calls, website forms and messages; the funnel; lost reasons; the response SLA.

-- Why a lead was lost, from a list the clinic keeps.
create table lost_reason (
    id       bigserial primary key,
    name     varchar(100) not null,
    position integer      not null default 0,
    active   boolean      not null default true
);
create unique index lost_reason_name_uk on lost_reason (lower(name));
insert into lost_reason (name, position) values
('Дорого', 1), ('Не дозвонились', 2), ('Выбрал другую клинику', 3), ('Нет нужной услуги или врача', 4),
('Неудобное время или адрес', 5), ('Передумал', 6), ('Спам или ошибка', 7);

-- The clinic's promise: a new lead is contacted within so many working minutes.
create table lead_policy (
    id          smallint primary key default 1 check (id = 1),
    sla_minutes integer  not null default 15 check (sla_minutes between 1 and 1440),
    version     integer  not null default 0
);
insert into lead_policy (id) values (1);

-- One person's inquiry, from the first touch to the repeat course. Repeat inquiries of the same
-- number while the lead is open join it (lead_touch) instead of making another.
create table lead (
    id             bigserial primary key,
    branch_id      bigint references branch (id),
    channel        varchar(10)  not null check (channel in ('CALL', 'FORM', 'MESSAGE', 'MANUAL')),
    name           varchar(200),
    phone          varchar(16),
    email          varchar(200),
    interest       varchar(2000),
    patient_id     bigint references patient (id),
    source_id      bigint references patient_source (id),
    campaign       varchar(200),
    utm_source     varchar(200),
    utm_medium     varchar(200),
    utm_campaign   varchar(200),
    utm_content    varchar(200),
    utm_term       varchar(200),
    page           varchar(1000),
    stage          varchar(20)  not null default 'NEW' check (stage in
                   ('NEW', 'IN_PROGRESS', 'BOOKED', 'CAME', 'COURSE_STARTED', 'COURSE_COMPLETED', 'CAME_BACK', 'LOST')),
    stage_at       timestamptz  not null,
    lost_reason_id bigint references lost_reason (id),
    lost_comment   varchar(500),
    created_at     timestamptz  not null,
    sla_due_at     timestamptz  not null,
    contacted_at   timestamptz,
    contacted_by   varchar(100),
    escalated_at   timestamptz,
    booked_at      timestamptz,
    appointment_id bigint references appointment (id),
    touches        integer      not null default 1,
    last_touch_at  timestamptz  not null,
    version        integer      not null default 0,
    -- What the board's search box looks in: name, address, question and number.
    search         text generated always as (lower(coalesce(name, '') || ' ' || coalesce(email, '') || ' '
                   || coalesce(interest, '') || ' ' || coalesce(phone, ''))) stored
);
create index lead_search_trgm on lead using gin (search gin_trgm_ops);
create index lead_stage_idx on lead (stage, stage_at desc, id desc);
create index lead_contacted_idx on lead (contacted_at);
create index lead_phone_open_idx on lead (phone) where stage in ('NEW', 'IN_PROGRESS');
create index lead_patient_idx on lead (patient_id);
create index lead_sla_idx on lead (sla_due_at) where contacted_at is null and escalated_at is null;
create index lead_created_idx on lead (created_at);

-- Every inquiry once, by where it came from (a call, an inbound message, a form's key): a
-- webhook or a form sent again changes nothing.
create table lead_touch (
    origin  varchar(120) primary key,
    lead_id bigint       not null references lead (id),
    channel varchar(10)  not null,
    at      timestamptz  not null,
    note    varchar(2000)
);
create index lead_touch_lead_idx on lead_touch (lead_id, at);

-- Each stage change: from, to, when, by whom (or by itself), and how long the lead sat in the old stage.
create table lead_stage_log (
    id         bigserial primary key,
    lead_id    bigint      not null references lead (id),
    from_stage varchar(20),
    to_stage   varchar(20) not null,
    at         timestamptz not null,
    by_user    varchar(100),
    auto       boolean     not null default false,
    seconds    bigint
);
create index lead_stage_log_lead_idx on lead_stage_log (lead_id, at);
create index lead_stage_log_at_idx on lead_stage_log (at);
