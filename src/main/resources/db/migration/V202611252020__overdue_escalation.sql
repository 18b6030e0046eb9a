-- A task overdue for an hour goes to the branch's senior admin (once per task).
insert into automation_rule (code, name, trigger, conditions, action, built_in) values
('OVERDUE_ESCALATE', 'Задача просрочена на час — сообщить старшему администратору', 'TASK_OVERDUE', '{}',
 '{"type":"TASK","kind":"FOLLOW_UP","title":"Просрочена задача: {task}","ownerRole":"SENIOR_ADMIN","delayMinutes":60,"priority":"HIGH"}', true);
