CREATE OR REPLACE VIEW `my-project.entraid.stale_accounts` AS
SELECT
  s.user_id,
  s.user_principal_name,
  s.display_name,
  s.user_type,
  s.account_enabled,
  s.created_date_time,
  s.sign_in_status AS staleness,
  s.last_successful_sign_in_date_time,
  s.days_since_last_sign_in,
  s.last_sign_in_attempt_date_time,
  s.group_count,
  s.group_names,
  s.role_count,
  s.role_names,
  s.owned_group_count
FROM `my-project.entraid.user_access_summary` AS s
WHERE (s.sign_in_status = 'inactive_90_days'
    -- An account created within the window has not had the time to go stale.
    OR (s.sign_in_status = 'never_signed_in' AND (s.created_date_time IS NULL OR s.created_date_time < TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 90 DAY))))
  AND (s.group_count > 0 OR s.role_count > 0 OR s.owned_group_count > 0)
