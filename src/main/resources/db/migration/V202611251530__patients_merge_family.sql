-- patients: pairs people marked as "not the same person", and family links (a child and a parent,
-- a ward and a guardian) whose contacts receive the reminders.

create table patient_not_duplicate (
    patient_a bigint      not null references patient (id),
    patient_b bigint      not null references patient (id),
    marked_by varchar(50),
    marked_at timestamptz not null default now(),
    primary key (patient_a, patient_b),
    check (patient_a < patient_b)
);

create table patient_relative (
    patient_id         bigint      not null references patient (id),
    relative_id        bigint      not null references patient (id),
    relation           varchar(20) not null check (relation in ('MOTHER', 'FATHER', 'GUARDIAN', 'SPOUSE', 'OTHER')),
    -- The relative represents the patient: reminders for the patient go to the relative's contacts.
    representative     boolean     not null default false,
    created_at         timestamptz not null default now(),
    primary key (patient_id, relative_id),
    check (patient_id <> relative_id)
);
create index patient_relative_relative_idx on patient_relative (relative_id);
