-- One typo in a surname, whatever it is (a letter added, lost, replaced, or two neighbours swapped),
-- leaves the typed word and the surname sharing a variant with at most one letter deleted: "мсалов"
-- and "маслов" both give "малов". Trigrams miss exactly these in short names ("мсалов" is 0.27 like
-- "маслов"). Each distinct surname's variants are kept once, beside patient_surname.
create function patient_surname_variants(word text) returns setof text
    language sql immutable strict parallel safe as $$
    select word
    union
    select overlay(word placing '' from i for 1) from generate_series(1, length(word)) i
$$;

create table patient_surname_variant (
    variant text not null,
    surname text not null references patient_surname (surname) on delete cascade,
    primary key (variant, surname)
);

insert into patient_surname_variant (variant, surname)
select v, s.surname from patient_surname s, patient_surname_variants(s.surname) v
on conflict do nothing;

create or replace function patient_surname_known() returns trigger language plpgsql as $$
begin
    with added as (
        insert into patient_surname (surname)
        select distinct lower(surname) from changed on conflict do nothing returning surname)
    insert into patient_surname_variant (variant, surname)
    select v, a.surname from added a, patient_surname_variants(a.surname) v
    on conflict do nothing;
    return null;
end;
$$;
