-- When the clinic last dealt with the patient (a booking made, a visit), so that an ambiguous search
-- (the last four digits of a phone) puts the people the reception is likely calling about first.
-- The scheduling module keeps it up to date through PatientActivity; this fills it once from the
-- visits already there.
alter table patient add column last_activity_at timestamptz;
update patient p set last_activity_at = a.last
  from (select patient_id, max(least(lower(during), now())) as last from appointment group by patient_id) a
 where a.patient_id = p.id;
