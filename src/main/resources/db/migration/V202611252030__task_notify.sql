-- Any change of tasks tells every node (once per statement, delivered on commit): open top bars redraw their counters.
create function notify_tasks_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('klinika_tasks', '');
    return null;
end
$$;
create trigger task_changed after insert or update or delete on task
    for each statement execute function notify_tasks_changed();
