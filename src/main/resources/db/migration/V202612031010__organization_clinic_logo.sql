-- The clinic's logo, shown beside its name on the online booking pages and in the top bar: one
-- picture (PNG, JPEG or WebP, checked by its first bytes), small.
create table clinic_logo (
    id           smallint primary key default 1 check (id = 1),
    content_type varchar(20) not null check (content_type in ('image/png', 'image/jpeg', 'image/webp')),
    bytes        bytea       not null check (octet_length(bytes) between 1 and 307200),
    updated_at   timestamptz not null default now()
);
