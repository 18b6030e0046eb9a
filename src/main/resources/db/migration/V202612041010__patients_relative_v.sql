-- patients: family links for other modules (billing's shared packages), read instead of the table.
create view patients_relative_v as
select patient_id, relative_id, relation, representative
  from patient_relative;
