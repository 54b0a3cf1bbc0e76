---
{
  "materialized": "view",
  "description": "Every user from outside the tenant (guests, and B2B users invited as userType Member) with the access they hold: groups, roles, owned groups, invitation state and last sign-in. Answers \"what can outsiders reach?\".",
  "columns": {
    "user_id": { "description": "User object id.", "tests": ["not_null", "unique"] },
    "user_principal_name": { "description": "Guest sign-in name (alice_contoso.com#EXT#@tenant.onmicrosoft.com)." },
    "display_name": { "description": "Display name." },
    "user_type": { "description": "Guest, or Member for an external member (B2B collaboration with member rights)." },
    "mail": { "description": "The guest's own address." },
    "external_user_state": { "description": "PendingAcceptance or Accepted (invitation state)." },
    "external_user_state_change_date_time": { "description": "When the invitation state last changed." },
    "created_date_time": { "description": "When the guest was invited." },
    "account_enabled": { "description": "FALSE when the guest account is disabled." },
    "group_count": { "description": "Groups the guest is in, directly or nested.", "tests": ["not_null"] },
    "group_names": { "description": "Their names, comma-separated." },
    "role_count": { "description": "Directory roles held (a guest with a role is a finding).", "tests": ["not_null"] },
    "role_names": { "description": "Their names, comma-separated." },
    "owned_group_count": { "description": "Groups the guest owns.", "tests": ["not_null"] },
    "last_successful_sign_in_date_time": { "description": "Last successful sign-in; NULL when none is recorded, or unknown." },
    "sign_in_status": { "description": "active, inactive_90_days, never_signed_in or unknown." }
  },
  "tests": [
    { "name": "only_external_users", "description": "Every row is a user stg_users holds as external.", "sql": "SELECT g.* FROM {{self}} AS g LEFT JOIN {{ref \"stg_users\"}} AS u ON u.user_id = g.user_id WHERE u.user_id IS NULL OR NOT u.is_external" }
  ]
}
---
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
FROM {{ref "user_access_summary"}} AS s
INNER JOIN {{ref "stg_users"}} AS u ON u.user_id = s.user_id
WHERE s.is_external
