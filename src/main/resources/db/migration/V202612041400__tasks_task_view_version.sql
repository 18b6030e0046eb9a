-- tasks: the published view also carries a task's version, so that a list elsewhere (the
-- consultant's pathways) can offer the task's actions, which take the version they showed.
create or replace view tasks_task_v as
select id, title, kind, patient_id, branch_id, owner_user_id, owner_role, due_at, priority, status,
       cause_type, cause_id, service_id, rule_id, created_at,
       status in ('OPEN', 'IN_PROGRESS') as open,
       version
  from task;
