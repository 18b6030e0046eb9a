-- billing: bills and their lines, the money ledger (accounts and transfers that are never
-- changed), discount reasons and the clinic's money rules. Other modules read the
-- billing_*_v views at the end, never these tables.

create table billing_settings (
    id int primary key default 1 check (id = 1),
    -- An ADMIN may give up to this share off a line or a bill; more needs SENIOR_ADMIN or MANAGER.
    admin_discount_limit numeric(5,2) not null default 10 check (admin_discount_limit between 0 and 100),
    -- An ADMIN may refund up to this amount at once; more needs SENIOR_ADMIN or MANAGER.
    admin_refund_limit numeric(14,2) not null default 5000 check (admin_refund_limit >= 0),
    -- Whether a bill may carry goods and materials at a price typed at the desk.
    free_price_lines boolean not null default true,
    version int not null default 0
);
insert into billing_settings default values;

create table discount_reason (
    id bigserial primary key,
    name text not null unique check (length(name) between 1 and 100),
    active boolean not null default true
);
insert into discount_reason (name) values ('Постоянный пациент'), ('Пенсионер'), ('Сотрудник клиники'), ('Акция'),
    ('Компенсация за ожидание'), ('Семейная скидка');

create table bill (
    id bigserial primary key,
    branch_id bigint not null,
    patient_id bigint not null,
    appointment_id bigint,
    currency char(3) not null,
    discount_kind text check (discount_kind in ('PERCENT', 'AMOUNT')),
    discount_value numeric(14,2) check (discount_value > 0),
    discount_reason_id bigint references discount_reason (id),
    -- The first payment issues the bill: its lines never change after that.
    issued_at timestamptz,
    voided_at timestamptz,
    void_reason text check (length(void_reason) <= 500),
    created_by text not null,
    created_at timestamptz not null default now(),
    check ((discount_kind is null) = (discount_value is null)),
    check ((discount_kind is null) = (discount_reason_id is null)),
    check ((voided_at is null) = (void_reason is null)),
    check (discount_kind <> 'PERCENT' or discount_value <= 100)
);
-- A visit has one bill being made at a time: two clicks on "checkout" open the same one.
create unique index bill_one_open_per_visit on bill (appointment_id)
    where appointment_id is not null and issued_at is null and voided_at is null;
create index bill_patient_idx on bill (patient_id, created_at desc);
create index bill_branch_day_idx on bill (branch_id, created_at);
create index bill_appointment_idx on bill (appointment_id) where appointment_id is not null;

create table bill_line (
    id bigserial primary key,
    bill_id bigint not null references bill (id),
    position int not null,
    kind text not null check (kind in ('SERVICE', 'GOODS')),
    service_id bigint,
    staff_id bigint,
    name text not null check (length(name) between 1 and 200),
    quantity int not null check (quantity between 1 and 999),
    unit_price numeric(14,2) not null check (unit_price >= 0),
    discount_kind text check (discount_kind in ('PERCENT', 'AMOUNT')),
    discount_value numeric(14,2) check (discount_value > 0),
    discount_reason_id bigint references discount_reason (id),
    -- The line's own discount plus its share of the bill's, in money; amount is what is due.
    discount numeric(14,2) not null default 0 check (discount >= 0),
    amount numeric(14,2) not null check (amount >= 0),
    check (amount = unit_price * quantity - discount),
    check ((kind = 'SERVICE') = (service_id is not null)),
    check ((discount_kind is null) = (discount_value is null)),
    check ((discount_kind is null) = (discount_reason_id is null)),
    check (discount_kind <> 'PERCENT' or discount_value <= 100),
    unique (bill_id, position)
);

-- The ledger, after TigerBeetle's model: accounts, and transfers from a debit account to a
-- credit account that are only ever added. An account's balance is credits minus debits.
create table ledger_account (
    id bigserial primary key,
    -- BILL: what was paid for a bill; DEPOSIT: a patient's advance; TILL: a branch's takings by method.
    kind text not null check (kind in ('BILL', 'DEPOSIT', 'TILL')),
    bill_id bigint references bill (id),
    patient_id bigint,
    branch_id bigint,
    method text,
    currency char(3) not null,
    -- Debits may never exceed credits (a bill never refunds more than it took, a deposit never goes below zero).
    never_negative boolean not null,
    check ((kind = 'BILL') = (bill_id is not null)),
    check ((kind = 'DEPOSIT') = (patient_id is not null)),
    check ((kind = 'TILL') = (branch_id is not null and method is not null))
);
create unique index ledger_account_bill on ledger_account (bill_id) where kind = 'BILL';
create unique index ledger_account_deposit on ledger_account (patient_id, currency) where kind = 'DEPOSIT';
create unique index ledger_account_till on ledger_account (branch_id, method, currency) where kind = 'TILL';

create table ledger_transfer (
    id bigserial primary key,
    -- Transfers of one batch (the parts of a split payment) commit together or not at all.
    batch_id uuid not null,
    debit_account_id bigint not null references ledger_account (id),
    credit_account_id bigint not null references ledger_account (id),
    amount numeric(14,2) not null check (amount > 0),
    -- PAYMENT: a bill paid by a method; REFUND: money back from a bill; ADVANCE: money onto a deposit;
    -- ADVANCE_RETURNED: a deposit paid back out.
    code text not null check (code in ('PAYMENT', 'REFUND', 'ADVANCE', 'ADVANCE_RETURNED')),
    method text not null check (method in ('CASH', 'CARD', 'TRANSFER', 'ONLINE', 'DEPOSIT', 'PACKAGE', 'POINTS')),
    bill_id bigint references bill (id),
    -- A refund names the line it gives money back for.
    bill_line_id bigint references bill_line (id),
    patient_id bigint not null,
    branch_id bigint not null,
    reason text check (length(reason) <= 500),
    -- A retried request with the same key finds its batch instead of paying twice.
    idempotency_key text check (length(idempotency_key) <= 100),
    created_by text not null,
    created_at timestamptz not null default now(),
    check (debit_account_id <> credit_account_id)
);
create unique index ledger_transfer_key on ledger_transfer (idempotency_key, debit_account_id, credit_account_id)
    where idempotency_key is not null;
create index ledger_transfer_debit on ledger_transfer (debit_account_id);
create index ledger_transfer_credit on ledger_transfer (credit_account_id);
create index ledger_transfer_bill on ledger_transfer (bill_id) where bill_id is not null;
create index ledger_transfer_patient on ledger_transfer (patient_id, created_at desc);
create index ledger_transfer_branch_day on ledger_transfer (branch_id, created_at);

create function ledger_transfer_is_final() returns trigger language plpgsql as $$
begin
    raise exception 'ledger transfers are never changed or removed; add a correcting transfer';
end $$;
create trigger ledger_transfer_append_only before update or delete on ledger_transfer
    for each row execute function ledger_transfer_is_final();

-- The database's own guard of never_negative accounts, checked when the transaction commits;
-- the code locks the account row first, so concurrent spends wait instead of overdrawing.
create function ledger_account_stays_covered() returns trigger language plpgsql as $$
declare
    balance numeric;
begin
    if (select never_negative from ledger_account where id = new.debit_account_id) then
        select coalesce(sum(case when credit_account_id = new.debit_account_id then amount else -amount end), 0)
          into balance from ledger_transfer
         where credit_account_id = new.debit_account_id or debit_account_id = new.debit_account_id;
        if balance < 0 then
            raise exception 'account % would go below zero', new.debit_account_id using errcode = '23514';
        end if;
    end if;
    return null;
end $$;
create constraint trigger ledger_transfer_covered after insert on ledger_transfer
    deferrable initially deferred for each row execute function ledger_account_stays_covered();

-- Published for other modules (analytics, payroll, loyalty, documents).
create view billing_bill_line_v as
select id, bill_id, position, kind, service_id, staff_id, name, quantity, unit_price, discount, amount
  from bill_line;

create view billing_bill_v as
select b.id, b.branch_id, b.patient_id, b.appointment_id, b.currency, b.created_by, b.created_at, b.issued_at,
       b.voided_at, b.void_reason,
       coalesce((select sum(l.amount) from bill_line l where l.bill_id = b.id), 0) as total,
       coalesce((select sum(t.amount) from ledger_transfer t where t.bill_id = b.id and t.code = 'PAYMENT'), 0) as paid,
       coalesce((select sum(t.amount) from ledger_transfer t where t.bill_id = b.id and t.code = 'REFUND'), 0) as refunded
  from bill b;

-- Money that moved, signed from the clinic's side: a payment or an advance in, a refund out.
create view billing_payment_v as
select id, batch_id, code, method, bill_id, bill_line_id, patient_id, branch_id, created_by, created_at,
       case when code in ('PAYMENT', 'ADVANCE') then amount else -amount end as amount
  from ledger_transfer
 where method <> 'DEPOSIT' or code in ('ADVANCE', 'ADVANCE_RETURNED');
