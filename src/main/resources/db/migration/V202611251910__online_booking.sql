-- Online booking: a patient's confirmation page and calendar file are found by a secret code.
alter table appointment add column public_code varchar(40);
create unique index appointment_public_code_uk on appointment (public_code) where public_code is not null;
