-- care: a declined pathway keeps why the patient said no, and when its status last changed.
alter table care_pathway
    add column decline_reason text check (length(decline_reason) <= 500),
    add column status_changed_at timestamptz;
