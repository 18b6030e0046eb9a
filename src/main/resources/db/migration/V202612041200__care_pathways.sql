-- care: what a doctor prescribes after a visit becomes the patient's pathway: items (a service or a
-- specialty, how many sessions, how often, which comes after which) and a re-examination after the
-- course. No diagnosis and no clinical note is kept: the prescription names services, not conditions.
create table care_pathway (
    id bigserial primary key,
    patient_id bigint not null,
    branch_id bigint not null,
    -- The visit it was prescribed at, and its specialist.
    appointment_id bigint not null,
    prescribed_by bigint not null,
    status text not null default 'PROPOSED'
        check (status in ('PROPOSED', 'ACCEPTED', 'DECLINED', 'IN_PROGRESS', 'STALLED', 'COMPLETED', 'ABANDONED')),
    reexam_service_id bigint,
    created_by text not null,
    created_at timestamptz not null default now(),
    version int not null default 0
);
create index care_pathway_patient on care_pathway (patient_id, created_at desc);
create index care_pathway_visit on care_pathway (appointment_id);

create table care_item (
    id bigserial primary key,
    pathway_id bigint not null references care_pathway (id),
    position int not null check (position between 1 and 20),
    service_id bigint,
    specialty_id bigint,
    sessions int not null check (sessions between 1 and 60),
    per_week int not null check (per_week between 1 and 7),
    -- The item that must come first, by its position.
    after_position int check (after_position >= 1 and after_position < position),
    check ((service_id is null) <> (specialty_id is null)),
    unique (pathway_id, position)
);
