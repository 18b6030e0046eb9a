-- telephony: the clinic's lines (tracking numbers), calls as the PBX reports them, each event once.

-- A number the clinic answers on: which branch it rings in, and the ad source and campaign it was
-- bought for (call tracking). A call to a number not listed here is still kept, without a branch.
create table phone_line (
    number    varchar(16) primary key,
    branch_id bigint references branch (id),
    source_id bigint references patient_source (id),
    campaign  varchar(200),
    active    boolean     not null default true
);

-- A call, merged from its events in any order: times are the earliest start and answer and the
-- latest end, so replaying the events, shuffled or twice, ends in the same row.
create table call (
    id              bigserial primary key,
    vendor          varchar(20)  not null,
    vendor_call_id  varchar(200) not null,
    direction       varchar(3)   not null default 'IN' check (direction in ('IN', 'OUT')),
    caller          varchar(40),
    called          varchar(40),
    line            varchar(16),
    branch_id       bigint references branch (id),
    employee        varchar(100),
    started_at      timestamptz  not null,
    answered_at     timestamptz,
    ended_at        timestamptz,
    recording_url   varchar(1000),
    patient_id      bigint references patient (id),
    source_id       bigint references patient_source (id),
    campaign        varchar(200),
    outcome         varchar(30),
    comment         varchar(1000),
    handled_at      timestamptz,
    handled_by      varchar(50),
    status          varchar(10) generated always as (
        case when answered_at is not null then 'ANSWERED' when ended_at is not null then 'MISSED' else 'RINGING' end
    ) stored,
    unique (vendor, vendor_call_id)
);
create index call_started_idx on call (started_at desc);
create index call_caller_idx on call (caller, started_at desc);
create index call_branch_missed_idx on call (branch_id, started_at desc) where answered_at is null and handled_at is null;
create index call_patient_idx on call (patient_id, started_at desc);

-- Every event once, by the vendor's id: a repeated webhook changes nothing.
create table call_event (
    vendor      varchar(20)  not null,
    event_id    varchar(200) not null,
    call_id     bigint       not null references call (id),
    kind        varchar(12)  not null,
    at          timestamptz  not null,
    received_at timestamptz  not null default now(),
    primary key (vendor, event_id)
);
create index call_event_call_idx on call_event (call_id);
