-- A call is a function of the set of its events, whatever order they arrive in: each event keeps
-- what it said, and the call is recomputed from all of them. Its side effects (the callback task,
-- the lead) wait until it is settled: ended, and no event for it for a short quiet time.
alter table call_event
    add column direction     varchar(3),
    add column caller        varchar(40),
    add column called        varchar(40),
    add column employee      varchar(100),
    add column recording_url varchar(1000);

-- Calls already here have had their tasks and leads: they are settled. New calls from the PBX are
-- inserted unsettled.
alter table call
    add column last_event_at timestamptz,
    add column settled_at    timestamptz default now();
create index call_unsettled_idx on call (last_event_at) where settled_at is null;
