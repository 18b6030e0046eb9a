-- care: the branch report counts pathways by when they were accepted, started (the first attended
-- session of a line) and ended, without reading every step: the first step of each is kept on the
-- pathway as it is appended.
alter table care_pathway
    add column accepted_at timestamptz,
    add column started_at timestamptz;

update care_pathway p set accepted_at = s.at
  from (select pathway_id, min(at) as at from care_step where kind = 'ACCEPTED' group by pathway_id) s
 where s.pathway_id = p.id;
update care_pathway p set started_at = s.at
  from (select pathway_id, min(at) as at from care_step where kind = 'ATTENDED' and position is not null
         group by pathway_id) s
 where s.pathway_id = p.id;

create index care_pathway_branch_started on care_pathway (branch_id, started_at) where started_at is not null;
create index care_pathway_branch_ended on care_pathway (branch_id, ended_at) where status = 'COMPLETED';
