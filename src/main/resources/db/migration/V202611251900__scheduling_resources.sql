-- scheduling, part 2: rooms a service needs, group sessions with seats, own durations of staff,
-- courses booked in one step, slot holds of the online booking, idempotent website bookings and
-- the waiting list.

-- A service may need a room of a kind (a gym, an X-ray room) and may seat a group.
alter table service add column room_kind varchar(30);
alter table service add column capacity integer not null default 1 check (capacity between 1 and 100);

-- A staff member may take longer or shorter than the catalogue says.
create table staff_service_duration (
    staff_id         bigint  not null references staff (id),
    service_id       bigint  not null references service (id),
    duration_minutes integer not null check (duration_minutes between 5 and 1440),
    primary key (staff_id, service_id)
);

-- A group session holds its staff member and room once, however many seats are booked in it.
create table group_session (
    id         bigserial primary key,
    branch_id  bigint    not null references branch (id),
    staff_id   bigint    not null references staff (id),
    room_id    bigint references room (id),
    service_id bigint    not null references service (id),
    during     tstzrange not null check (lower(during) < upper(during)),
    capacity   integer   not null check (capacity between 1 and 100),
    created_at timestamptz not null default now(),
    unique (staff_id, service_id, during)
);

-- A course: several visits booked in one step.
create table appointment_series (
    id         bigserial primary key,
    patient_id bigint      not null references patient (id),
    service_id bigint      not null references service (id),
    created_by varchar(50),
    created_at timestamptz not null default now()
);

alter table appointment add column group_session_id bigint references group_session (id);
alter table appointment add column series_id bigint references appointment_series (id);
alter table appointment add column source varchar(20) not null default 'STAFF'
    check (source in ('STAFF', 'ONLINE', 'WEBSITE', 'WAITING_LIST', 'DEMO'));
create index appointment_group_idx on appointment (group_session_id) where group_session_id is not null;
create index appointment_series_idx on appointment (series_id) where series_id is not null;

-- Seats of one group share their staff member's and room's time; anything else still never overlaps.
-- A seat's key is its group, an individual visit's key is its own (negative) id: rows collide when
-- their keys differ.
alter table appointment drop constraint appointment_staff_no_overlap;
alter table appointment drop constraint appointment_room_no_overlap;
alter table appointment add constraint appointment_staff_no_overlap
    exclude using gist (staff_id with =, (coalesce(group_session_id, -id)) with <>, during with &&)
    where (status <> 'CANCELLED');
alter table appointment add constraint appointment_room_no_overlap
    exclude using gist (room_id with =, (coalesce(group_session_id, -id)) with <>, during with &&)
    where (status <> 'CANCELLED' and room_id is not null);

-- A short hold on a time while a patient fills the online form; expired holds are ignored and swept.
create table slot_hold (
    id         bigserial primary key,
    token      varchar(64) not null unique,
    staff_id   bigint      not null references staff (id),
    during     tstzrange   not null,
    expires_at timestamptz not null
);
create index slot_hold_staff_idx on slot_hold using gist (staff_id, during);

-- A website's retried booking request books once: the key and the answer are kept for a day.
create table booking_idempotency (
    key          varchar(100) primary key,
    fingerprint  varchar(64)  not null,
    status       integer      not null,
    body         text         not null,
    created_at   timestamptz  not null default now()
);

-- Patients who want an earlier or another time: offered a freed slot, the first to take it books it.
create table waiting_entry (
    id             bigserial primary key,
    patient_id     bigint      not null references patient (id),
    branch_id      bigint      not null references branch (id),
    service_id     bigint      not null references service (id),
    staff_id       bigint references staff (id),
    date_from      date        not null,
    date_to        date        not null check (date_to >= date_from),
    note           varchar(500),
    status         varchar(20) not null default 'WAITING' check (status in ('WAITING', 'BOOKED', 'REMOVED')),
    appointment_id bigint references appointment (id),
    created_by     varchar(50),
    created_at     timestamptz not null default now(),
    version        integer     not null default 0
);
create index waiting_entry_open_idx on waiting_entry (branch_id, service_id, date_from) where status = 'WAITING';

create table waiting_offer (
    id         bigserial primary key,
    entry_id   bigint      not null references waiting_entry (id),
    staff_id   bigint      not null references staff (id),
    starts_at  timestamptz not null,
    created_at timestamptz not null default now(),
    unique (entry_id, staff_id, starts_at)
);
