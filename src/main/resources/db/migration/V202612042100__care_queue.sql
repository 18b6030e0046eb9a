-- care: the consultant's list reads a page of pathways in the order it shows them (stalled first,
-- then proposed, accepted, in progress; within a status the one waiting longest), by its indexes:
-- the expressions are PathwayList.RANK and PathwayList.SINCE.
create index care_pathway_queue on care_pathway
    ((array_position('{STALLED,PROPOSED,ACCEPTED,IN_PROGRESS,COMPLETED,ABANDONED,DECLINED}'::text[], status)),
     (coalesce(status_changed_at, created_at)), id);
create index care_pathway_queue_branch on care_pathway
    (branch_id, (array_position('{STALLED,PROPOSED,ACCEPTED,IN_PROGRESS,COMPLETED,ABANDONED,DECLINED}'::text[], status)),
     (coalesce(status_changed_at, created_at)), id);
create index care_pathway_queue_consultant on care_pathway
    (consultant_id, (array_position('{STALLED,PROPOSED,ACCEPTED,IN_PROGRESS,COMPLETED,ABANDONED,DECLINED}'::text[], status)),
     (coalesce(status_changed_at, created_at)), id)
    where consultant_id is not null;

-- The report over every branch reads a period of prescriptions, and of started and finished ones.
create index care_pathway_created on care_pathway (created_at);
create index care_pathway_started on care_pathway (started_at) where started_at is not null;
create index care_pathway_ended on care_pathway (ended_at) where status = 'COMPLETED';
