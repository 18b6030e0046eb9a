-- billing: a package whose end is near with units left is announced once (a task through the
-- automation rules, a message to the patient); this row says it was.
create table package_warning (
    package_id bigint primary key references patient_package (id),
    warned_at timestamptz not null
);
