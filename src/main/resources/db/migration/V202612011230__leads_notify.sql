-- Any change of leads tells every node (once per statement, delivered on commit): open boards redraw.
create function notify_leads_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('klinika_leads', '');
    return null;
end
$$;
create trigger lead_changed after insert or update on lead
    for each statement execute function notify_leads_changed();
