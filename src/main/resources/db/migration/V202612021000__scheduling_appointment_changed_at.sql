-- When an appointment last changed: calendar feeds stamp each event with it (DTSTAMP,
-- LAST-MODIFIED), so that a subscriber's fetch changes only the events that changed.
alter table appointment add column changed_at timestamptz;
update appointment set changed_at = created_at;
alter table appointment alter column changed_at set default now(), alter column changed_at set not null;

create function appointment_touch() returns trigger language plpgsql as $$
begin
    new.changed_at := now();
    return new;
end $$;

create trigger appointment_touch before update on appointment
    for each row when (old.* is distinct from new.*) execute function appointment_touch();
