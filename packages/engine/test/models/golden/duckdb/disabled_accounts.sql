CREATE OR REPLACE VIEW "main"."disabled_accounts" AS
SELECT
  s.user_id,
  s.user_principal_name,
  s.display_name,
  s.user_type,
  s.created_date_time,
  s.group_count,
  s.group_names,
  s.role_count,
  s.role_names,
  s.owned_group_count,
  (s.group_count + s.role_count + s.owned_group_count) > 0 AS holds_access,
  s.last_successful_sign_in_date_time
FROM "main"."user_access_summary" AS s
WHERE s.account_enabled = FALSE
