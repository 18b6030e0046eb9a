-- organization: the clinic, its branches with working hours, rooms, specialties and staff.

create table clinic (
    id                    bigint primary key default 1 check (id = 1),
    name                  varchar(200) not null,
    legal_name            varchar(300),
    inn                   varchar(12),
    kpp                   varchar(9),
    ogrn                  varchar(15),
    legal_address         varchar(500),
    bank_name             varchar(200),
    bik                   varchar(9),
    bank_account          varchar(20),
    correspondent_account varchar(20),
    phone                 varchar(16),
    email                 varchar(254),
    website               varchar(200),
    currency              char(3)      not null default 'RUB',
    version               integer      not null default 0
);

-- One clinic per installation; it exists from the first start so that every screen has a name to show.
insert into clinic (id, name) values (1, 'Клиника');

create table branch (
    id         bigserial primary key,
    name       varchar(200) not null,
    address    varchar(500) not null,
    phone      varchar(16),
    time_zone  varchar(64)  not null,
    active     boolean      not null default true,
    version    integer      not null default 0,
    created_at timestamptz  not null default now()
);
create unique index branch_name_uk on branch (lower(name));

create table branch_hours (
    branch_id   bigint   not null references branch (id) on delete cascade,
    day_of_week smallint not null check (day_of_week between 1 and 7),
    opens       time     not null,
    closes      time     not null,
    primary key (branch_id, day_of_week),
    check (closes > opens)
);

create table room (
    id        bigserial primary key,
    branch_id bigint       not null references branch (id),
    name      varchar(100) not null,
    kind      varchar(30)  not null,
    active    boolean      not null default true,
    version   integer      not null default 0
);
create unique index room_name_uk on room (branch_id, lower(name));

create table specialty (
    id      bigserial primary key,
    name    varchar(100) not null,
    active  boolean      not null default true,
    version integer      not null default 0
);
create unique index specialty_name_uk on specialty (lower(name));

create table staff (
    id           bigserial primary key,
    surname      varchar(100) not null,
    name         varchar(100) not null,
    patronymic   varchar(100),
    position     varchar(150) not null,
    phone        varchar(16),
    email        varchar(254),
    dismissed_on date,
    version      integer      not null default 0,
    created_at   timestamptz  not null default now()
);
create index staff_surname_idx on staff (lower(surname), lower(name));

create table staff_specialty (
    staff_id     bigint not null references staff (id) on delete cascade,
    specialty_id bigint not null references specialty (id),
    primary key (staff_id, specialty_id)
);

create table staff_branch (
    staff_id  bigint not null references staff (id) on delete cascade,
    branch_id bigint not null references branch (id),
    primary key (staff_id, branch_id)
);
create index staff_branch_branch_idx on staff_branch (branch_id);
