-- telephony: the views other modules read instead of its tables (see organization_published_views).

-- The clinic's numbers: a branch's main line, or a tracking number bought for an ad source.
create view telephony_line_v as
select number, branch_id, source_id, campaign, active
  from phone_line;
