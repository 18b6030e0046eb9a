-- scheduling: working patterns of staff, absences, and appointments that can never overlap.

create extension if not exists btree_gist;

-- When a staff member works in a branch, from a date on. A cycle of 7 days is a weekly pattern,
-- 14 a two-week rotation, 4 a "2 on, 2 off" shift; day_index counts from valid_from.
create table work_pattern (
    id         bigserial primary key,
    staff_id   bigint  not null references staff (id),
    branch_id  bigint  not null references branch (id),
    valid_from date    not null,
    cycle_days integer not null default 7 check (cycle_days between 1 and 28),
    version    integer not null default 0,
    unique (staff_id, branch_id, valid_from)
);

create table work_pattern_day (
    work_pattern_id bigint  not null references work_pattern (id) on delete cascade,
    day_index       integer not null check (day_index >= 0),
    starts          time    not null,
    ends            time    not null,
    check (ends > starts)
);
create index work_pattern_day_idx on work_pattern_day (work_pattern_id, day_index);

create table staff_absence (
    id         bigserial primary key,
    staff_id   bigint      not null references staff (id),
    kind       varchar(20) not null check (kind in ('VACATION', 'SICK_LEAVE', 'TRAINING', 'OTHER')),
    during     tstzrange   not null check (not isempty(during)),
    note       varchar(200),
    created_by varchar(50),
    created_at timestamptz not null default now()
);
create index staff_absence_idx on staff_absence using gist (staff_id, during);

create table appointment (
    id            bigserial primary key,
    branch_id     bigint      not null references branch (id),
    staff_id      bigint      not null references staff (id),
    room_id       bigint references room (id),
    patient_id    bigint      not null references patient (id),
    service_id    bigint      not null references service (id),
    during        tstzrange   not null check (not isempty(during) and lower(during) < upper(during)),
    status        varchar(20) not null check (status in
        ('BOOKED', 'CONFIRMED', 'CHECKED_IN', 'IN_PROGRESS', 'COMPLETED', 'NO_SHOW', 'CANCELLED')),
    cancel_reason varchar(30),
    created_by    varchar(50),
    created_at    timestamptz not null default now(),
    version       integer     not null default 0,
    -- Never two appointments in one staff member's time, nor in one room, however many people click at once.
    constraint appointment_staff_no_overlap
        exclude using gist (staff_id with =, during with &&) where (status <> 'CANCELLED'),
    constraint appointment_room_no_overlap
        exclude using gist (room_id with =, during with &&) where (status <> 'CANCELLED' and room_id is not null)
);
create index appointment_patient_idx on appointment (patient_id, lower(during));
create index appointment_branch_day_idx on appointment using gist (branch_id, during);
