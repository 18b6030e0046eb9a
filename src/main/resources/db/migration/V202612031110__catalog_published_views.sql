-- catalog: the views other modules read instead of its tables (see organization_published_views).

create view catalog_category_v as
select id, name, position, active
  from service_category;

-- room_kind and capacity were added by an early scheduling migration; catalog's service form edits
-- them and this view publishes them, so they are catalog's columns like the others.
create view catalog_service_v as
select id, code, name, category_id, specialty_id, duration_minutes, repeat_interval, room_kind, capacity, active
  from service;

-- Prices are a history: the price on a day is the row with the latest valid_from on or before it.
create view catalog_service_price_v as
select service_id, valid_from, price
  from service_price;
