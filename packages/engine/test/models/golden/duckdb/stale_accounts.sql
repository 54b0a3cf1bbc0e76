CREATE OR REPLACE VIEW "main"."stale_accounts" AS
SELECT
  s.user_id,
  s.user_principal_name,
  s.display_name,
  s.user_type,
  s.account_enabled,
  s.created_date_time,
  s.sign_in_status AS staleness,
  s.last_sign_in_date_time,
  s.days_since_last_sign_in,
  s.group_count,
  s.group_names,
  s.role_count,
  s.role_names
FROM "main"."user_access_summary" AS s
WHERE s.sign_in_status IN ('never_signed_in', 'inactive_90_days')
  AND (s.group_count > 0 OR s.role_count > 0)
