---
{
  "materialized": "view",
  "description": "Accounts with no successful sign-in for 90 days (failed attempts do not count), or never since they were created over 90 days ago, and still hold group memberships, directory roles or group ownerships (an owner manages who is in the group). Empty when user_sign_in_activity is not synced (sign-in times unknown). Answers \"which dormant accounts still have access?\".",
  "columns": {
    "user_id": { "description": "User object id.", "tests": ["not_null", "unique"] },
    "user_principal_name": { "description": "Sign-in name." },
    "display_name": { "description": "Display name." },
    "user_type": { "description": "Member or Guest." },
    "account_enabled": { "description": "FALSE when the account is already disabled." },
    "created_date_time": { "description": "When the account was created (a never-used account created long ago is the classic finding)." },
    "staleness": { "description": "never_signed_in or inactive_90_days.", "tests": ["not_null", { "accepted_values": { "values": ["never_signed_in", "inactive_90_days"] } }] },
    "last_successful_sign_in_date_time": { "description": "Last successful sign-in; NULL when none is recorded (Graph records them since December 2023)." },
    "days_since_last_sign_in": { "description": "Whole days since that sign-in; NULL when none." },
    "last_sign_in_attempt_date_time": { "description": "Last sign-in attempt, successful or failed: a recent one on a dormant account is worth a look (password spraying)." },
    "group_count": { "description": "Groups the user is in, directly or nested.", "tests": ["not_null"] },
    "group_names": { "description": "Their names, comma-separated." },
    "role_count": { "description": "Directory roles held.", "tests": ["not_null"] },
    "role_names": { "description": "Their names, comma-separated." },
    "owned_group_count": { "description": "Groups the user owns.", "tests": ["not_null"] }
  },
  "tests": [
    { "name": "still_has_access", "description": "Every row holds a group, a role or an ownership.", "sql": "SELECT * FROM {{self}} WHERE group_count = 0 AND role_count = 0 AND owned_group_count = 0" },
    { "name": "had_time_to_go_stale", "description": "No account without a successful sign-in created within the 90 days.", "sql": "SELECT * FROM {{self}} WHERE staleness = 'never_signed_in' AND created_date_time >= {{daysAgo 90}}" }
  ]
}
---
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
FROM {{ref "user_access_summary"}} AS s
WHERE (s.sign_in_status = 'inactive_90_days'
    -- An account created within the window has not had the time to go stale.
    OR (s.sign_in_status = 'never_signed_in' AND (s.created_date_time IS NULL OR s.created_date_time < {{daysAgo 90}})))
  AND (s.group_count > 0 OR s.role_count > 0 OR s.owned_group_count > 0)
