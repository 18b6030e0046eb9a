-- tasks: the views other modules read instead of its tables (see organization_published_views).

create view tasks_task_v as
select id, title, kind, patient_id, branch_id, owner_user_id, owner_role, due_at, priority, status,
       cause_type, cause_id, service_id, rule_id, created_at,
       status in ('OPEN', 'IN_PROGRESS') as open
  from task;
