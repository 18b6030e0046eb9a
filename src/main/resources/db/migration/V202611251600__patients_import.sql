-- patients: imports of an existing base from CSV and XLSX, with their dry-run reports.

create table patient_import (
    id             uuid primary key,
    file_name      varchar(255) not null,
    format         varchar(10)  not null check (format in ('CSV', 'XLSX')),
    charset        varchar(20),
    separator      varchar(1),
    home_branch_id bigint       not null references branch (id),
    source_id      bigint references patient_source (id),
    headers        text         not null,
    mapping        text         not null,
    status         varchar(20)  not null check (status in ('UPLOADED', 'CHECKED', 'IMPORTING', 'DONE', 'FAILED')),
    total_rows     integer      not null default 0,
    valid_rows     integer      not null default 0,
    invalid_rows   integer      not null default 0,
    duplicate_rows integer      not null default 0,
    imported_rows  integer      not null default 0,
    error          text,
    -- The file itself, so that any app node can check and import it; kept until the import is deleted.
    content        bytea        not null,
    uploaded_by    varchar(50),
    uploaded_at    timestamptz  not null default now(),
    finished_at    timestamptz
);
create index patient_import_uploaded_idx on patient_import (uploaded_at desc);

create table patient_import_issue (
    import_id   uuid         not null references patient_import (id) on delete cascade,
    row_no      integer      not null,
    column_name varchar(100),
    value       varchar(200),
    reason      varchar(40)  not null
);
create index patient_import_issue_idx on patient_import_issue (import_id, row_no);
