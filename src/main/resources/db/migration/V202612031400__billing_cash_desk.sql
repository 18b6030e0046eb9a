-- billing: a cash desk per branch. A shift is opened with the cash in the drawer, takes the
-- branch's payments and refunds while it is open (each transfer names its shift), records
-- cash put in or taken out, and is closed with a count; the difference from what the drawer
-- should hold is written down, never hidden.

create table cash_shift (
    id bigserial primary key,
    branch_id bigint not null,
    currency char(3) not null,
    opened_by text not null,
    opened_at timestamptz not null,
    opening_balance numeric(14,2) not null check (opening_balance >= 0),
    closed_by text,
    closed_at timestamptz,
    -- What the drawer should hold at the close (opening + cash in − cash out), frozen then.
    expected numeric(14,2),
    -- What was counted; counted − expected is the discrepancy.
    counted numeric(14,2) check (counted >= 0),
    close_note text check (length(close_note) <= 500),
    check ((closed_at is null) = (closed_by is null)),
    check ((closed_at is null) = (expected is null)),
    check ((closed_at is null) = (counted is null)),
    check (closed_at is null or closed_at >= opened_at)
);
-- One drawer per branch: one shift open at a time.
create unique index cash_shift_one_open on cash_shift (branch_id) where closed_at is null;
create index cash_shift_branch_idx on cash_shift (branch_id, opened_at desc);

-- Cash put into the drawer or taken out of it (to the bank, the safe, petty expenses).
create table cash_movement (
    id bigserial primary key,
    shift_id bigint not null references cash_shift (id),
    kind text not null check (kind in ('PAID_IN', 'PAID_OUT')),
    amount numeric(14,2) not null check (amount > 0),
    reason text not null check (length(reason) between 1 and 500),
    created_by text not null,
    created_at timestamptz not null
);
create index cash_movement_shift_idx on cash_movement (shift_id);

create function billing_row_is_final() returns trigger language plpgsql as $$
begin
    raise exception '% rows are never changed or removed; add a correcting row', tg_table_name;
end $$;
create trigger cash_movement_append_only before update or delete on cash_movement
    for each row execute function billing_row_is_final();

-- A closed shift is a record: nothing of it changes after the close.
create function cash_shift_closed_is_final() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' or old.closed_at is not null then
        raise exception 'a closed cash shift is never changed';
    end if;
    return new;
end $$;
create trigger cash_shift_closed_final before update or delete on cash_shift
    for each row execute function cash_shift_closed_is_final();

-- The shift a transfer of the desk's money belongs to (null: no shift was open, card or transfer only).
alter table ledger_transfer add column cash_shift_id bigint references cash_shift (id);
create index ledger_transfer_shift on ledger_transfer (cash_shift_id) where cash_shift_id is not null;

create view billing_cash_shift_v as
select id, branch_id, currency, opened_by, opened_at, opening_balance, closed_by, closed_at, expected, counted,
       counted - expected as discrepancy
  from cash_shift;
