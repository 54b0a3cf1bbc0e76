CREATE OR REPLACE VIEW `my-project.entraid.guest_access` AS
SELECT
  s.user_id,
  s.user_principal_name,
  s.display_name,
  s.user_type,
  s.mail,
  u.external_user_state,
  u.external_user_state_change_date_time,
  s.created_date_time,
  s.account_enabled,
  s.group_count,
  s.group_names,
  s.role_count,
  s.role_names,
  s.owned_group_count,
  s.last_successful_sign_in_date_time,
  s.sign_in_status
FROM `my-project.entraid.user_access_summary` AS s
INNER JOIN `my-project.entraid.stg_users` AS u ON u.user_id = s.user_id
WHERE s.is_external
