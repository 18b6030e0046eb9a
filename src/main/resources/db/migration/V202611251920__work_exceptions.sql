-- A date that differs from the working pattern: other hours that day, or a day off.
-- Rows of one staff member, branch and day replace the pattern on that day; a row without hours is a day off.
create table work_exception (
    id        bigserial primary key,
    staff_id  bigint not null references staff (id),
    branch_id bigint not null references branch (id),
    day       date   not null,
    starts    time,
    ends      time,
    note      varchar(200),
    check ((starts is null and ends is null) or (starts is not null and ends is not null and ends > starts))
);
create index work_exception_idx on work_exception (staff_id, branch_id, day);
