-- care: the list's tab counts (pathways per branch, consultant and status) without counting every
-- pathway on each page view. Every change of a pathway's status, branch or consultant appends a row
-- of -1 for what it was and +1 for what it is; a count is the sum of its rows. Nothing is updated in
-- place, so two changes never wait for each other or deadlock on a counter; the stall watch folds the
-- keys that were appended to into one row each every run (PathwayProgress.foldCounts): a folded row
-- is not `appended`.
create table care_queue_count (
    branch_id     bigint  not null,
    consultant_id bigint,
    status        text    not null,
    n             integer not null,
    appended      boolean not null default true
);
create index care_queue_count_branch on care_queue_count (branch_id, consultant_id);
create index care_queue_count_consultant on care_queue_count (consultant_id) where consultant_id is not null;
create index care_queue_count_appended on care_queue_count (branch_id) where appended;

insert into care_queue_count (branch_id, consultant_id, status, n, appended)
select branch_id, consultant_id, status, count(*), false from care_pathway group by 1, 2, 3;

create function care_queue_count() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        insert into care_queue_count (branch_id, consultant_id, status, n)
        values (old.branch_id, old.consultant_id, old.status, -1);
    end if;
    if tg_op <> 'DELETE' then
        insert into care_queue_count (branch_id, consultant_id, status, n)
        values (new.branch_id, new.consultant_id, new.status, 1);
    end if;
    return null;
end
$$;

create trigger care_queue_count_added after insert or delete on care_pathway
    for each row execute function care_queue_count();
create trigger care_queue_count_changed after update of status, branch_id, consultant_id on care_pathway
    for each row
    when (old.status is distinct from new.status or old.branch_id is distinct from new.branch_id
          or old.consultant_id is distinct from new.consultant_id)
    execute function care_queue_count();
