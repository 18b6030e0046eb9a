-- leads: when a lead was passed to the "not booked" rules, so that leads no longer reads tasks'
-- rule log to know. Leads passed before this column existed may be passed once more; the rules'
-- unique (rule, cause) makes that a no-op.
alter table lead add column not_booked_at timestamptz;
