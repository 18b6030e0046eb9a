-- scheduling: the views other modules read instead of its tables (see organization_published_views).

-- The lifecycle's groups of states, defined once here and checked against AppointmentStatus by a test:
-- holds_time: the time is taken (every state but CANCELLED; the exclusion constraints use the same rule);
-- expected: booked or confirmed, the patient has not come yet (the states a move or a reminder applies to);
-- open: not finished (expected, arrived or in the chair).
create view scheduling_appointment_v as
select id, branch_id, staff_id, room_id, patient_id, service_id, during,
       lower(during) as starts_at, upper(during) as ends_at, status, cancel_reason, source, series_id,
       group_session_id, created_by, created_at, changed_at,
       status <> 'CANCELLED' as holds_time,
       status in ('BOOKED', 'CONFIRMED') as expected,
       status in ('BOOKED', 'CONFIRMED', 'CHECKED_IN', 'IN_PROGRESS') as open
  from appointment;
