-- db-scheduler's table: jobs that must run on exactly one of several app nodes.
create table scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index scheduled_tasks_execution_time_idx on scheduled_tasks (execution_time);
create index scheduled_tasks_last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index scheduled_tasks_priority_idx on scheduled_tasks (priority desc, execution_time asc);

-- Recurring tasks: every day, every week on a weekday, every month on a day, at a time of the branch.
create table task_template (
    id          bigserial primary key,
    title       varchar(300) not null,
    kind        varchar(20)  not null,
    branch_id   bigint       not null references branch (id),
    owner_role  varchar(20)  not null,
    priority    varchar(10)  not null default 'NORMAL',
    recurrence  varchar(10)  not null check (recurrence in ('DAILY', 'WEEKLY', 'MONTHLY')),
    day         integer      check (day between 1 and 31),
    at_time     time         not null,
    next_run_at timestamptz  not null,
    enabled     boolean      not null default true,
    created_by  varchar(50),
    created_at  timestamptz  not null default now(),
    check ((recurrence = 'DAILY' and day is null) or (recurrence = 'WEEKLY' and day between 1 and 7)
           or (recurrence = 'MONTHLY' and day between 1 and 31))
);
create index task_template_due_idx on task_template (next_run_at) where enabled;
