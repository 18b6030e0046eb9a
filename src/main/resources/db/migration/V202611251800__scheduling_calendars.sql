-- scheduling: secret calendar feed addresses of staff members (iCalendar), one live token each.

create table staff_calendar (
    staff_id   bigint primary key references staff (id),
    token      varchar(64) not null unique,
    created_at timestamptz not null default now()
);
