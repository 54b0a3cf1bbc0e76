---
{
  "materialized": "view",
  "description": "Disabled user accounts and what they still hold (groups, roles, owned groups). A disabled account cannot sign in, but its memberships come back if it is re-enabled. Answers \"which disabled accounts should be cleaned up?\".",
  "columns": {
    "user_id": { "description": "User object id.", "tests": ["not_null", "unique"] },
    "user_principal_name": { "description": "Sign-in name." },
    "display_name": { "description": "Display name." },
    "user_type": { "description": "Member or Guest." },
    "created_date_time": { "description": "When the account was created." },
    "group_count": { "description": "Groups still held, directly or nested.", "tests": ["not_null"] },
    "group_names": { "description": "Their names, comma-separated." },
    "role_count": { "description": "Directory roles still held.", "tests": ["not_null"] },
    "role_names": { "description": "Their names, comma-separated." },
    "owned_group_count": { "description": "Groups still owned.", "tests": ["not_null"] },
    "holds_access": { "description": "TRUE when any group, role or ownership remains.", "tests": ["not_null"] },
    "last_successful_sign_in_date_time": { "description": "Last successful sign-in; NULL when none is recorded, or unknown." }
  },
  "tests": [
    { "name": "only_disabled_accounts", "description": "Every row is an account stg_users holds as disabled.", "sql": "SELECT d.* FROM {{self}} AS d LEFT JOIN {{ref \"stg_users\"}} AS u ON u.user_id = d.user_id WHERE u.user_id IS NULL OR COALESCE(u.account_enabled, TRUE)" }
  ]
}
---
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
FROM {{ref "user_access_summary"}} AS s
WHERE s.account_enabled = FALSE
