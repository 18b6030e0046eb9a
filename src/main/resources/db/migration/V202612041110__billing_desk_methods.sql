-- billing: the methods the desk takes money by (a clinic without a card terminal takes no card);
-- money goes back by any method it came by.
alter table billing_settings
    add column desk_methods text[] not null default '{CASH,CARD,TRANSFER}'
        check (desk_methods <@ array['CASH', 'CARD', 'TRANSFER'] and cardinality(desk_methods) > 0);
