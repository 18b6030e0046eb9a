-- organization: the views other modules read instead of its tables (published: their columns are a
-- contract; the tables behind them may change). A published view is named <module>_<what>_v and is
-- created only by its module's migrations; see docs/architecture.md.

create view organization_clinic_v as
select id, name, phone, email, website, currency
  from clinic;

create view organization_branch_v as
select id, name, address, phone, time_zone, active
  from branch;

create view organization_room_v as
select id, branch_id, name, kind, active
  from room;

create view organization_specialty_v as
select id, name, active
  from specialty;

-- A staff member's name in the three forms screens and messages use, written once here:
-- full "Петрова Анна Сергеевна", short "Петрова Анна", initials "Петрова А. С.".
create view organization_staff_v as
select id, surname, name, patronymic, position, dismissed_on,
       dismissed_on is null as active,
       surname || ' ' || name || coalesce(' ' || patronymic, '') as full_name,
       surname || ' ' || name as short_name,
       surname || ' ' || left(name, 1) || '.' || coalesce(' ' || left(patronymic, 1) || '.', '') as initials
  from staff;

create view organization_staff_branch_v as
select staff_id, branch_id
  from staff_branch;

create view organization_staff_specialty_v as
select staff_id, specialty_id
  from staff_specialty;
