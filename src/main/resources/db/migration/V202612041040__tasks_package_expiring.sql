-- tasks: a rule trigger for packages about to end with visits left, and the built-in rule that
-- asks the desk to call the patient about them.
alter table automation_rule drop constraint automation_rule_trigger_check;
alter table automation_rule add constraint automation_rule_trigger_check check (trigger in
    ('APPOINTMENT_NO_SHOW', 'APPOINTMENT_CANCELLED', 'APPOINTMENT_COMPLETED', 'REPEATING_SERVICE_COMPLETED',
     'FIRST_VISIT_COMPLETED', 'COURSE_COMPLETED', 'LEAD_NOT_BOOKED', 'TASK_OVERDUE', 'PACKAGE_EXPIRING'));

insert into automation_rule (code, name, trigger, conditions, action, built_in) values
('PACKAGE_EXPIRING_CALL', 'Абонемент заканчивается — позвонить и записать на оставшиеся визиты', 'PACKAGE_EXPIRING', '{}',
 '{"type":"TASK","kind":"CALL_BACK","title":"Абонемент «{package}» заканчивается {date}: осталось {left}. Записать","ownerRole":"ADMIN","priority":"NORMAL"}', true);
