-- patients: the patient card with phones, messengers, tags, consents under 152-FZ and the timeline.

create extension if not exists pg_trgm;

-- How a patient found the clinic: a list the marketer keeps.
create table patient_source (
    id      bigserial primary key,
    name    varchar(100) not null,
    active  boolean      not null default true,
    version integer      not null default 0
);
create unique index patient_source_name_uk on patient_source (lower(name));

create table patient (
    id                bigserial primary key,
    surname           varchar(100) not null,
    name              varchar(100) not null,
    patronymic        varchar(100),
    sex               char(1) check (sex in ('F', 'M')),
    birth_date        date,
    email             varchar(254),
    preferred_channel varchar(20),
    time_zone         varchar(64),
    source_id         bigint references patient_source (id),
    notes             text,
    consultant_id     bigint references staff (id),
    next_contact_on   date,
    home_branch_id    bigint       not null references branch (id),
    -- A merged card stays as a tombstone that points to the surviving one.
    merged_into       bigint references patient (id),
    erased_at         timestamptz,
    created_by        varchar(50),
    created_at        timestamptz  not null default now(),
    version           integer      not null default 0,
    -- What the search box matches names against: "иванова мария петровна".
    search_name       text generated always as
        (lower(surname || ' ' || name || coalesce(' ' || patronymic, ''))) stored
);
-- The search box, in the order PatientSearch uses them: names that start with what was typed (a
-- byte-order range, whatever the database's collation), a surname with a typo plus the start of
-- the name, and word similarity on the whole name for anything else.
create index patient_search_name_prefix on patient ((search_name) collate "C");
create index patient_search_name_trgm on patient using gin (search_name gin_trgm_ops);

-- Every surname the base has, once: a typo is matched against this short list (thousands of
-- rows, not a million), and the cards are then read by name prefix. Kept by a trigger; a surname
-- nobody has any more does no harm.
create table patient_surname (
    surname text primary key
);
create index patient_surname_trgm on patient_surname using gin (surname gin_trgm_ops);

-- Statement-level, so that a COPY of 20,000 cards adds its few new surnames in one statement.
create function patient_surname_known() returns trigger language plpgsql as $$
begin
    insert into patient_surname (surname)
    select distinct lower(surname) from changed on conflict do nothing;
    return null;
end;
$$;
create trigger patient_surname_inserted after insert on patient
    referencing new table as changed for each statement execute function patient_surname_known();
create trigger patient_surname_updated after update on patient
    referencing new table as changed for each statement execute function patient_surname_known();
create index patient_birth_date_idx on patient (birth_date);
create index patient_email_idx on patient ((lower(email)) collate "C");
create index patient_home_branch_idx on patient (home_branch_id);

create table patient_phone (
    patient_id bigint      not null references patient (id) on delete cascade,
    number     varchar(16) not null,
    main       boolean     not null default false,
    primary key (patient_id, number)
);
-- Exact lookup of a caller's number, and "last four digits" through the reversed number's prefix.
create index patient_phone_number_idx on patient_phone (number);
create index patient_phone_suffix_idx on patient_phone ((reverse(number)) collate "C");

create table patient_messenger (
    patient_id bigint       not null references patient (id) on delete cascade,
    kind       varchar(20)  not null check (kind in ('TELEGRAM', 'WHATSAPP', 'VIBER', 'VK')),
    handle     varchar(100) not null,
    primary key (patient_id, kind)
);

create table patient_tag (
    patient_id bigint      not null references patient (id) on delete cascade,
    tag        varchar(50) not null,
    primary key (patient_id, tag)
);
create index patient_tag_tag_idx on patient_tag (tag);

-- Consents are never deleted: a withdrawal is a date on the consent it ends.
create table patient_consent (
    id           bigserial primary key,
    patient_id   bigint      not null references patient (id),
    kind         varchar(30) not null check (kind in ('PERSONAL_DATA', 'MARKETING', 'MEDICAL_INTERVENTION')),
    given_at     timestamptz not null,
    channel      varchar(20) not null check (channel in ('PAPER', 'ONLINE_FORM', 'PHONE', 'IN_PERSON')),
    proof        varchar(500),
    withdrawn_at timestamptz,
    recorded_by  varchar(50),
    recorded_at  timestamptz not null default now(),
    check (withdrawn_at is null or withdrawn_at >= given_at)
);
create index patient_consent_patient_idx on patient_consent (patient_id, kind);

-- The card's own history (created, changed, consents, merges, imports); other modules add theirs
-- through TimelineContributor beans.
create table patient_timeline (
    id         bigserial primary key,
    patient_id bigint      not null references patient (id),
    at         timestamptz not null default now(),
    kind       varchar(40) not null,
    summary    text        not null,
    actor      varchar(50)
);
create index patient_timeline_patient_idx on patient_timeline (patient_id, at desc, id desc);
