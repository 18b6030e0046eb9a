-- catalog: package products (абонементы): N visits of a service or of a category, or an amount of
-- money to spend on a service or a category (the amount is its price), valid for a number of days from the sale or from
-- the first visit, with an optional freeze allowance, for the buyer alone or their family too.
-- What a patient bought is billing's (patient_package); this is what the clinic offers.

create table package_product (
    id bigserial primary key,
    name text not null check (length(name) between 1 and 150),
    kind text not null check (kind in ('VISITS', 'AMOUNT')),
    -- What it pays for: one service, or any service of a category.
    service_id bigint references service (id),
    category_id bigint references service_category (id),
    -- VISITS: how many visits; AMOUNT: none, the price is the money to spend.
    visits int check (visits between 1 and 999),
    price numeric(14,2) not null check (price > 0 and price <= 999999999999.99),
    validity_days int not null check (validity_days between 1 and 3650),
    validity_from text not null check (validity_from in ('SALE', 'FIRST_USE')),
    -- Days the holder may freeze it for, once (0: no freezing); a freeze extends the validity.
    freeze_days int not null default 0 check (freeze_days between 0 and 365),
    -- Family members on the card may spend it too.
    shareable boolean not null default false,
    active boolean not null default true,
    version int not null default 0,
    created_at timestamptz not null default now(),
    check ((service_id is null) <> (category_id is null)),
    check ((kind = 'VISITS') = (visits is not null))
);
create unique index package_product_name on package_product (lower(name));

create view catalog_package_v as
select id, name, kind, service_id, category_id, visits, price, validity_days, validity_from, freeze_days,
       shareable, active
  from package_product;
