-- patients: the views other modules read instead of its tables (see organization_published_views).

-- A card's name in the forms screens use, written once here: full "Иванова Мария Петровна",
-- short "Иванова Мария", initial "Иванова М.". A card is live unless merged into another or erased.
create view patients_card_v as
select id, surname, name, patronymic, sex, birth_date, email, preferred_channel, time_zone, source_id,
       consultant_id, next_contact_on, home_branch_id, merged_into, erased_at, created_at,
       merged_into is null and erased_at is null as live,
       surname || ' ' || name || coalesce(' ' || patronymic, '') as full_name,
       surname || ' ' || name as short_name,
       surname || ' ' || left(name, 1) || '.' as initial
  from patient;

create view patients_phone_v as
select patient_id, number, main
  from patient_phone;

create view patients_source_v as
select id, name, active
  from patient_source;

-- A consent in force: given and not withdrawn.
create view patients_consent_v as
select patient_id, kind, given_at, withdrawn_at, withdrawn_at is null as in_force
  from patient_consent;

create view patients_tag_v as
select patient_id, tag
  from patient_tag;
