-- billing: packages (абонементы) a patient bought. A package line on a bill sells a product of the
-- catalog; when that bill is paid in full the package is made, its units (visits or money) are
-- SOLD into its own ledger and its money moves from the sale's bill into the package's account.
-- A visit paid from it SPENDS units and moves the visit's share of the money onto the visit's
-- bill; a cancellation RETURNS them, a no-show may BURN them, the rest EXPIRES at the end or is
-- REFUNDED. Nothing of a package or its entries is ever changed: its balance is a sum.

alter table billing_settings
    add column package_no_show_burns boolean not null default true,
    add column package_warn_days int not null default 14 check (package_warn_days between 1 and 90);

alter table bill_line drop constraint bill_line_kind_check;
alter table bill_line add constraint bill_line_kind_check check (kind in ('SERVICE', 'GOODS', 'PACKAGE'));
alter table bill_line add column package_product_id bigint;
alter table bill_line add constraint bill_line_package_product check ((kind = 'PACKAGE') = (package_product_id is not null));
-- A service line paid from a package names it; list_price is the catalog's price the package
-- stood in for (a visit of a VISITS package is priced at its share of what the package cost).
alter table bill_line add column patient_package_id bigint;
alter table bill_line add column list_price numeric(14,2) check (list_price >= 0);

create table patient_package (
    id bigserial primary key,
    product_id bigint not null,
    -- The buyer; family members spend it too when it is shareable.
    patient_id bigint not null,
    branch_id bigint not null,
    bill_id bigint not null references bill (id),
    bill_line_id bigint not null unique references bill_line (id),
    name text not null,
    kind text not null check (kind in ('VISITS', 'AMOUNT')),
    service_id bigint,
    category_id bigint,
    -- What was sold: visits, or money to spend, and what the patient paid for it.
    units numeric(14,2) not null check (units > 0),
    price numeric(14,2) not null check (price >= 0),
    currency char(3) not null,
    validity_days int not null check (validity_days > 0),
    validity_from text not null check (validity_from in ('SALE', 'FIRST_USE')),
    freeze_days int not null check (freeze_days >= 0),
    shareable boolean not null,
    sold_at timestamptz not null,
    created_by text not null,
    check ((service_id is null) <> (category_id is null))
);
alter table bill_line add constraint bill_line_patient_package foreign key (patient_package_id) references patient_package (id);
alter table bill_line add constraint bill_line_package_on_service check (patient_package_id is null or kind = 'SERVICE');
create index patient_package_patient_idx on patient_package (patient_id);
create index patient_package_sold_idx on patient_package (branch_id, sold_at);
create trigger patient_package_final before update or delete on patient_package
    for each row execute function billing_row_is_final();

create table package_entry (
    id bigserial primary key,
    package_id bigint not null references patient_package (id),
    code text not null check (code in ('SOLD', 'SPENT', 'RETURNED', 'BURNED', 'FROZEN', 'EXPIRED', 'REFUNDED')),
    -- Visits or money; SOLD and RETURNED add to the balance, SPENT, BURNED, EXPIRED and REFUNDED take.
    units numeric(14,2) not null check (units > 0 or code = 'FROZEN'),
    -- FROZEN: the days the validity is moved on by.
    freeze_days int check (freeze_days > 0),
    -- SPENT, BURNED, RETURNED: the visit's bill line the units paid for.
    bill_line_id bigint references bill_line (id),
    appointment_id bigint,
    -- Who used it: the buyer or a family member.
    patient_id bigint not null,
    created_by text not null,
    created_at timestamptz not null,
    check ((code = 'FROZEN') = (freeze_days is not null)),
    check ((code in ('SPENT', 'BURNED', 'RETURNED')) = (bill_line_id is not null))
);
create index package_entry_package_idx on package_entry (package_id, id);
-- Sold, frozen, expired and refunded once each; a line spent (or burned) once and given back once.
create unique index package_entry_once on package_entry (package_id, code)
    where code in ('SOLD', 'FROZEN', 'EXPIRED', 'REFUNDED');
create unique index package_entry_spend_once on package_entry (bill_line_id) where code in ('SPENT', 'BURNED');
create unique index package_entry_return_once on package_entry (bill_line_id) where code = 'RETURNED';
create trigger package_entry_append_only before update or delete on package_entry
    for each row execute function billing_row_is_final();

-- The database's own guard: a package never gives more than it holds (the code locks the
-- package row first, so two desks spending its last visit wait for each other).
create function package_entry_stays_covered() returns trigger language plpgsql as $$
begin
    if (select coalesce(sum(case when code in ('SOLD', 'RETURNED') then units else -units end), 0)
          from package_entry where package_id = new.package_id) < 0 then
        raise exception 'package % would give more than it holds', new.package_id using errcode = '23514';
    end if;
    return null;
end $$;
create constraint trigger package_entry_covered after insert on package_entry
    deferrable initially deferred for each row execute function package_entry_stays_covered();

-- The money of a package sits in its own account until visits spend it.
alter table ledger_account add column package_id bigint references patient_package (id);
alter table ledger_account drop constraint ledger_account_kind_check;
alter table ledger_account add constraint ledger_account_kind_check check (kind in ('BILL', 'DEPOSIT', 'TILL', 'PACKAGE'));
alter table ledger_account add constraint ledger_account_package check ((kind = 'PACKAGE') = (package_id is not null));
create unique index ledger_account_package on ledger_account (package_id) where kind = 'PACKAGE';

-- PACKAGE_SOLD: the sale's money from its bill into the package; PACKAGE_REFUNDED: what is left of
-- it paid back out; PACKAGE_EXPIRED: what is left of it kept by the clinic when it expires.
alter table ledger_transfer drop constraint ledger_transfer_code_check;
alter table ledger_transfer add constraint ledger_transfer_code_check check (code in ('PAYMENT', 'REFUND', 'ADVANCE',
    'ADVANCE_RETURNED', 'PACKAGE_SOLD', 'PACKAGE_REFUNDED', 'PACKAGE_EXPIRED'));
alter table ledger_transfer add column package_id bigint references patient_package (id);
create index ledger_transfer_package on ledger_transfer (package_id) where package_id is not null;

-- A package as the desk and other modules read it: units left and when it ends. The end is
-- the sale (or the first spend) plus its validity plus a freeze; EXPIRED or REFUNDED closes it.
-- Its sums are lateral subqueries of the package's own rows, so that a condition on the
-- package (its id, its patient, its branch) is applied first, by the table's indexes.
create view billing_package_v as
select p.id, p.product_id, p.patient_id, p.branch_id, p.bill_id, p.name, p.kind, p.service_id, p.category_id,
       p.units, p.price, p.currency, p.validity_days, p.validity_from, p.freeze_days, p.shareable, p.sold_at,
       e.units_left, e.units_spent, e.units_burned, e.units_expired, e.units_refunded, e.first_spent_at,
       e.frozen_at, e.frozen_days,
       case when p.validity_from = 'SALE' then p.sold_at else e.first_spent_at end
           + make_interval(days => p.validity_days + e.frozen_days) as expires_at,
       e.closed, e.refunded, m.money_left
  from patient_package p
 cross join lateral (
       select coalesce(sum(case when x.code in ('SOLD', 'RETURNED') then x.units else -x.units end), 0) as units_left,
              coalesce(sum(x.units) filter (where x.code = 'SPENT'), 0)
                  - coalesce(sum(x.units) filter (where x.code = 'RETURNED'), 0) as units_spent,
              coalesce(sum(x.units) filter (where x.code = 'BURNED'), 0) as units_burned,
              coalesce(sum(x.units) filter (where x.code = 'EXPIRED'), 0) as units_expired,
              coalesce(sum(x.units) filter (where x.code = 'REFUNDED'), 0) as units_refunded,
              min(x.created_at) filter (where x.code = 'SPENT') as first_spent_at,
              max(x.created_at) filter (where x.code = 'FROZEN') as frozen_at,
              coalesce(max(x.freeze_days) filter (where x.code = 'FROZEN'), 0) as frozen_days,
              coalesce(bool_or(x.code in ('EXPIRED', 'REFUNDED')), false) as closed,
              coalesce(bool_or(x.code = 'REFUNDED'), false) as refunded
         from package_entry x where x.package_id = p.id) e
 cross join lateral (
       -- Every transfer to or from a package's account names the package: its index finds them.
       select coalesce(sum(case when t.credit_account_id = a.id then t.amount else -t.amount end), 0) as money_left
         from ledger_transfer t join ledger_account a on a.kind = 'PACKAGE' and a.package_id = p.id
        where t.package_id = p.id and (t.credit_account_id = a.id or t.debit_account_id = a.id)) m;

create or replace view billing_bill_line_v as
select id, bill_id, position, kind, service_id, staff_id, name, quantity, unit_price, discount, amount, package_product_id,
       patient_package_id, list_price
  from bill_line;

-- Money that moved, signed from the clinic's side: only what passed the desk or came online
-- (a spend from a deposit or a package moves money that came in before).
create or replace view billing_payment_v as
select id, batch_id, code, method, bill_id, bill_line_id, patient_id, branch_id, created_by, created_at,
       case when code in ('PAYMENT', 'ADVANCE') then amount else -amount end as amount
  from ledger_transfer
 where method in ('CASH', 'CARD', 'TRANSFER', 'ONLINE');
