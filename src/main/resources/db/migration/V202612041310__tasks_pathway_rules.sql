-- tasks: rule triggers for care pathways, and the built-in rules that hand the patient on: book the
-- prescribed course, call when a pathway stalls, book again a missed session, book the re-examination.
alter table automation_rule drop constraint automation_rule_trigger_check;
alter table automation_rule add constraint automation_rule_trigger_check check (trigger in
    ('APPOINTMENT_NO_SHOW', 'APPOINTMENT_CANCELLED', 'APPOINTMENT_COMPLETED', 'REPEATING_SERVICE_COMPLETED',
     'FIRST_VISIT_COMPLETED', 'COURSE_COMPLETED', 'LEAD_NOT_BOOKED', 'TASK_OVERDUE', 'PACKAGE_EXPIRING',
     'PATHWAY_PRESCRIBED', 'PATHWAY_STALLED', 'PATHWAY_SESSION_MISSED', 'PATHWAY_REEXAM_DUE'));

insert into automation_rule (code, name, trigger, conditions, action, built_in) values
('PATHWAY_BOOK_COURSE', 'Назначен курс — записать пациента на все процедуры', 'PATHWAY_PRESCRIBED', '{}',
 '{"type":"TASK","kind":"BOOK","title":"Записать на назначенное: {items}","ownerRole":"CONSULTANT","priority":"HIGH","delayMinutes":0}', true),
('PATHWAY_STALLED_CALL', 'Путь лечения застрял — позвонить и записать на следующий шаг', 'PATHWAY_STALLED', '{}',
 '{"type":"TASK","kind":"CALL_BACK","title":"Путь лечения застрял, дальше — {next}. Позвонить и записать","ownerRole":"CONSULTANT","priority":"HIGH"}', true),
('PATHWAY_MISSED_REBOOK', 'Пропущен сеанс курса — перезаписать', 'PATHWAY_SESSION_MISSED', '{}',
 '{"type":"TASK","kind":"BOOK","title":"Пропущен сеанс «{service}» — перезаписать","ownerRole":"CONSULTANT","priority":"NORMAL"}', true),
('PATHWAY_REEXAM_BOOK', 'Курс пройден — записать на повторный приём', 'PATHWAY_REEXAM_DUE', '{}',
 '{"type":"TASK","kind":"BOOK","title":"Курс пройден — записать на повторный приём: {service}","ownerRole":"CONSULTANT","priority":"NORMAL"}', true);
