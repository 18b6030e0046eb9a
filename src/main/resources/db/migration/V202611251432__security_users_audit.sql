-- security: logins, their roles and branches, brute-force counters and the audit log.

create table app_user (
    id            bigserial primary key,
    username      varchar(50)  not null,
    password_hash varchar(100) not null,
    full_name     varchar(200) not null,
    staff_id      bigint references staff (id),
    enabled       boolean      not null default true,
    version       integer      not null default 0,
    created_at    timestamptz  not null default now()
);
create unique index app_user_username_uk on app_user (lower(username));
create unique index app_user_staff_uk on app_user (staff_id) where staff_id is not null;

create table user_role (
    user_id bigint      not null references app_user (id) on delete cascade,
    role    varchar(20) not null check (role in
        ('OWNER', 'MANAGER', 'SENIOR_ADMIN', 'ADMIN', 'DOCTOR', 'CONSULTANT', 'MARKETER')),
    primary key (user_id, role)
);

create table user_branch (
    user_id   bigint not null references app_user (id) on delete cascade,
    branch_id bigint not null references branch (id),
    primary key (user_id, branch_id)
);

-- Failed logins per key ('user:<name>' or 'ip:<address>'), shared by every app node.
create table login_attempt (
    key             varchar(300) primary key,
    failures        integer      not null,
    last_failure_at timestamptz  not null,
    locked_until    timestamptz
);

create table audit_log (
    id          bigserial primary key,
    at          timestamptz  not null default now(),
    actor       varchar(50),
    action      varchar(40)  not null,
    record_type varchar(40),
    record_id   varchar(40),
    details     text,
    ip          varchar(45)
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_record_idx on audit_log (record_type, record_id, at desc);
create index audit_log_actor_idx on audit_log (lower(actor), at desc);

-- The audit log is append-only: the database itself refuses to change or remove an entry.
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
