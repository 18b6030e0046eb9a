-- security: the views other modules read instead of its tables (see organization_published_views).

create view security_user_v as
select id, username, full_name, staff_id, enabled
  from app_user;
