-- care: the consultant's list reads pathways by branch and status (by consultant it has an index).
create index care_pathway_branch_status on care_pathway (branch_id, status, created_at);

-- The consultant's one-click message about the next step is a step too.
alter table care_step drop constraint care_step_kind_check;
alter table care_step add constraint care_step_kind_check check (kind in ('PRESCRIBED', 'ACCEPTED', 'DECLINED',
    'BOOKED', 'ATTENDED', 'MISSED', 'CANCELLED', 'STALLED', 'RESUMED', 'COURSE_DONE', 'COMPLETED', 'ABANDONED',
    'CONSULTANT', 'MESSAGED'));
