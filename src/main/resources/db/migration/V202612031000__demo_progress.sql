-- What of the demo's background work has finished, so that a start that was stopped in the
-- middle of it (the task history takes a minute or two) does it again at the next start.
create table demo_progress (
    step        varchar(40) primary key,
    finished_at timestamptz not null default now()
);
