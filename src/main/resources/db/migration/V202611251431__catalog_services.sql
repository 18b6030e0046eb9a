-- catalog: services grouped into categories, with a price history.

create table service_category (
    id       bigserial primary key,
    name     varchar(150) not null,
    position integer      not null default 0,
    active   boolean      not null default true,
    version  integer      not null default 0
);
create unique index service_category_name_uk on service_category (lower(name));

create table service (
    id               bigserial primary key,
    code             varchar(30)  not null,
    name             varchar(300) not null,
    category_id      bigint references service_category (id),
    specialty_id     bigint       not null references specialty (id),
    duration_minutes integer      not null check (duration_minutes between 1 and 1440),
    -- ISO-8601 period after which the service is due again (P6M = in six months), for recalls.
    repeat_interval  varchar(16),
    active           boolean      not null default true,
    version          integer      not null default 0,
    created_at       timestamptz  not null default now()
);
create unique index service_code_uk on service (lower(code));
create index service_category_idx on service (category_id);

-- Prices are never overwritten: a change adds a row valid from a date. The price on a day is the
-- row with the latest valid_from on or before it.
create table service_price (
    service_id bigint        not null references service (id) on delete cascade,
    valid_from date          not null,
    price      numeric(14, 2) not null check (price >= 0),
    created_at timestamptz   not null default now(),
    created_by varchar(50),
    primary key (service_id, valid_from)
);
