-- The managers' "fell through" figure starts from the cards past their next-contact date: an index
-- range instead of reading every card (it is on the owner's and senior admin's home pages).
create index patient_next_contact_idx on patient (next_contact_on) where next_contact_on is not null;
