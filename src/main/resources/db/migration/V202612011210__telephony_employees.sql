-- Telephony: which login a PBX extension or employee name is, for the per-admin report.
create table pbx_employee (
    pbx_id   varchar(100) primary key,
    username varchar(50)  not null
);

-- Calls to or from a number (a call back to a missed caller) are found by the called number too.
create index call_called_idx on call (called, started_at desc);
