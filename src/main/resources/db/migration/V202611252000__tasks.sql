-- tasks: what someone has to do about a patient, for a person or for a role in a branch, and the
-- automation rules (data, not code) that create tasks from what happens in the clinic.

create table task (
    id            bigserial primary key,
    title         varchar(300) not null,
    kind          varchar(20)  not null check (kind in
        ('CALL_BACK', 'BOOK', 'REMIND', 'HAND_OFF', 'FOLLOW_UP', 'COMPLAINT', 'CUSTOM')),
    patient_id    bigint references patient (id),
    branch_id     bigint       not null references branch (id),
    -- Either a person or a role in the task's branch ("the admins of branch 2").
    owner_user_id bigint references app_user (id),
    owner_role    varchar(20) check (owner_role in
        ('OWNER', 'MANAGER', 'SENIOR_ADMIN', 'ADMIN', 'DOCTOR', 'CONSULTANT', 'MARKETER')),
    due_at        timestamptz  not null,
    priority      varchar(10)  not null default 'NORMAL' check (priority in ('LOW', 'NORMAL', 'HIGH', 'URGENT')),
    status        varchar(20)  not null default 'OPEN' check (status in ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
    outcome       varchar(500),
    note          varchar(2000),
    -- What caused it: an appointment, a call, a lead, a rule.
    cause_type    varchar(30),
    cause_id      bigint,
    service_id    bigint references service (id),
    rule_id       bigint,
    created_by    varchar(50),
    created_at    timestamptz  not null default now(),
    closed_by     varchar(50),
    closed_at     timestamptz,
    version       integer      not null default 0,
    check (owner_user_id is not null or owner_role is not null)
);
create index task_open_idx on task (branch_id, due_at) where status in ('OPEN', 'IN_PROGRESS');
create index task_owner_idx on task (owner_user_id, due_at) where status in ('OPEN', 'IN_PROGRESS');
create index task_patient_idx on task (patient_id, created_at);
create index task_cause_idx on task (cause_type, cause_id);

create table task_comment (
    id         bigserial primary key,
    task_id    bigint        not null references task (id) on delete cascade,
    author     varchar(50),
    text       varchar(2000) not null,
    created_at timestamptz   not null default now()
);
create index task_comment_task_idx on task_comment (task_id, created_at);

-- WHEN trigger AND conditions THEN action. Conditions and the action are JSON, edited on a screen.
create table automation_rule (
    id         bigserial primary key,
    code       varchar(40)  not null unique,
    name       varchar(200) not null,
    trigger    varchar(40)  not null check (trigger in
        ('APPOINTMENT_NO_SHOW', 'APPOINTMENT_CANCELLED', 'APPOINTMENT_COMPLETED', 'REPEATING_SERVICE_COMPLETED',
         'FIRST_VISIT_COMPLETED', 'COURSE_COMPLETED', 'LEAD_NOT_BOOKED', 'TASK_OVERDUE')),
    conditions jsonb        not null default '{}',
    action     jsonb        not null,
    enabled    boolean      not null default true,
    built_in   boolean      not null default false,
    version    integer      not null default 0
);

-- Each rule fires once per cause, however often the event is delivered.
create table rule_firing (
    id        bigserial primary key,
    rule_id   bigint       not null references automation_rule (id),
    cause_key varchar(100) not null,
    fired_at  timestamptz  not null default now(),
    result    varchar(300) not null,
    task_id   bigint references task (id),
    unique (rule_id, cause_key)
);
create index rule_firing_rule_idx on rule_firing (rule_id, fired_at desc);

insert into automation_rule (code, name, trigger, conditions, action, built_in) values
('NO_SHOW_CALL', 'Не пришёл — позвонить в течение 15 минут', 'APPOINTMENT_NO_SHOW', '{}',
 '{"type":"TASK","kind":"CALL_BACK","title":"Позвонить: не пришёл на приём ({service})","ownerRole":"ADMIN","delayMinutes":15,"priority":"HIGH"}', true),
('RECALL', 'Повторная услуга — записать за 14 дней до срока', 'REPEATING_SERVICE_COMPLETED', '{"noFutureBookingOfService":true}',
 '{"type":"TASK","kind":"BOOK","title":"Пригласить на повтор: {service}","ownerRole":"ADMIN","leadDays":14,"priority":"NORMAL"}', true),
('COURSE_REPEAT', 'Курс завершён — пригласить на повторный курс', 'COURSE_COMPLETED', '{}',
 '{"type":"TASK","kind":"BOOK","title":"Пригласить на повторный курс: {service}","ownerRole":"ADMIN","delayDays":150,"priority":"NORMAL"}', true),
('FIRST_VISIT_THANKS', 'Первый визит — благодарность пациенту', 'FIRST_VISIT_COMPLETED', '{}',
 '{"type":"MESSAGE","message":"THANK_YOU_FIRST_VISIT"}', true),
('LEAD_FOLLOW_UP', 'Обращение без записи — связаться завтра', 'LEAD_NOT_BOOKED', '{}',
 '{"type":"TASK","kind":"FOLLOW_UP","title":"Связаться: обращение без записи","ownerRole":"ADMIN","delayDays":1,"priority":"NORMAL"}', true);
