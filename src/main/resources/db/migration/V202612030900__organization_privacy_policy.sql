-- The clinic's privacy policy, which the booking form links at its consent checkbox (152-FZ); empty means
-- the standard text built from the clinic's legal details.
alter table clinic add column privacy_policy text check (length(privacy_policy) <= 50000);
