---
{
  "materialized": "view",
  "description": "One row per user with everything an access review asks about them: account state, group memberships (direct and nested), directory roles, owned groups and last sign-in. The export an auditor starts from.",
  "columns": {
    "user_id": { "description": "User object id.", "tests": ["not_null", "unique", { "relationships": { "to": "stg_users", "field": "user_id" } }] },
    "user_principal_name": { "description": "Sign-in name." },
    "display_name": { "description": "Display name." },
    "mail": { "description": "Primary SMTP address." },
    "user_type": { "description": "Member or Guest." },
    "is_guest": { "description": "TRUE for a guest (userType Guest).", "tests": ["not_null"] },
    "is_external": { "description": "TRUE for a user from outside the tenant: a guest, or a B2B user invited as userType Member.", "tests": ["not_null"] },
    "account_enabled": { "description": "FALSE when the account is disabled (cannot sign in)." },
    "created_date_time": { "description": "When the account was created." },
    "department": { "description": "Department." },
    "job_title": { "description": "Job title." },
    "direct_group_count": { "description": "Groups the user is a direct member of.", "tests": ["not_null"] },
    "group_count": { "description": "Groups the user is in directly or through nested groups.", "tests": ["not_null"] },
    "group_names": { "description": "Display names of those groups, sorted, comma-separated (a name as often as groups bear it)." },
    "role_count": { "description": "Directory roles the user holds, directly or through a group.", "tests": ["not_null"] },
    "role_names": { "description": "Names of those roles, sorted, comma-separated." },
    "is_privileged": { "description": "TRUE when the user holds at least one directory role, or owns a group that holds one.", "tests": ["not_null"] },
    "is_global_administrator": { "description": "TRUE when one of those roles is Global Administrator.", "tests": ["not_null"] },
    "owned_group_count": { "description": "Groups the user owns (can manage membership of).", "tests": ["not_null"] },
    "owns_role_group": { "description": "TRUE when one of those groups holds a directory role: the user can add itself to it and take the role (privileged_access lists these as group_owner).", "tests": ["not_null"] },
    "last_successful_sign_in_date_time": { "description": "Last successful sign-in, interactive or not (Graph records these since December 2023); NULL when none, or unknown." },
    "last_sign_in_attempt_date_time": { "description": "Last sign-in attempt, interactive or not, successful or failed (Graph's lastSignInDateTime counts failures): recent attempts on an account with no recent success (password spraying, say) do not make it active." },
    "days_since_last_sign_in": { "description": "Whole days since the last successful sign-in." },
    "sign_in_status": { "description": "active (a successful sign-in within 90 days), inactive_90_days (the last successful one is older), never_signed_in (no successful sign-in recorded, whatever the failed attempts), or unknown (user_sign_in_activity not synced, or no row for the user yet).", "tests": ["not_null", { "accepted_values": { "values": ["active", "inactive_90_days", "never_signed_in", "unknown"] } }] }
  }
}
---
WITH user_groups AS (
  -- One row per group the user is in, however many paths lead there: groups sharing a display
  -- name each keep theirs in group_names.
  SELECT
    em.member_id AS user_id,
    em.group_id,
    MAX(em.group_display_name) AS group_display_name,
    MAX(CASE WHEN em.is_direct THEN 1 ELSE 0 END) AS is_direct
  FROM {{ref "group_membership_effective"}} AS em
  WHERE em.member_type = 'user'
  GROUP BY em.member_id, em.group_id
),
memberships AS (
  SELECT
    ug.user_id,
    COUNT(CASE WHEN ug.is_direct = 1 THEN 1 END) AS direct_group_count,
    COUNT(*) AS group_count,
    {{stringAgg "ug.group_display_name" distinct=false}} AS group_names
  FROM user_groups AS ug
  GROUP BY ug.user_id
),
roles AS (
  -- One read of privileged_access (and of the nesting under it): the roles a user holds, and
  -- whether it owns a group that holds one (a role it can take, not one it holds).
  SELECT
    p.user_id,
    COUNT(DISTINCT p.held_role_id) AS role_count,
    {{stringAgg "p.held_role_name"}} AS role_names,
    MAX(CASE WHEN p.held_role_id IS NOT NULL AND p.is_global_administrator THEN 1 ELSE 0 END) = 1 AS is_global_administrator,
    MAX(CASE WHEN p.owns_role_group THEN 1 ELSE 0 END) = 1 AS owns_role_group
  FROM (
    SELECT
      pa.principal_id AS user_id,
      pa.is_global_administrator,
      pa.assignment_type = 'group_owner' AS owns_role_group,
      CASE WHEN pa.assignment_type <> 'group_owner' THEN pa.role_id END AS held_role_id,
      CASE WHEN pa.assignment_type <> 'group_owner' THEN pa.role_display_name END AS held_role_name
    FROM {{ref "privileged_access"}} AS pa
    WHERE pa.principal_type = 'user'
  ) AS p
  GROUP BY p.user_id
),
owned AS (
  SELECT o.owner_id AS user_id, COUNT(DISTINCT o.group_id) AS owned_group_count
  FROM {{ref "stg_group_owners"}} AS o
  INNER JOIN {{ref "stg_groups"}} AS g ON g.group_id = o.group_id
  GROUP BY o.owner_id
)
SELECT
  u.user_id,
  u.user_principal_name,
  u.display_name,
  u.mail,
  u.user_type,
  u.is_guest,
  u.is_external,
  u.account_enabled,
  u.created_date_time,
  u.department,
  u.job_title,
  COALESCE(m.direct_group_count, 0) AS direct_group_count,
  COALESCE(m.group_count, 0) AS group_count,
  m.group_names,
  COALESCE(r.role_count, 0) AS role_count,
  r.role_names,
  COALESCE(r.role_count, 0) > 0 OR COALESCE(r.owns_role_group, FALSE) AS is_privileged,
  COALESCE(r.is_global_administrator, FALSE) AS is_global_administrator,
  COALESCE(o.owned_group_count, 0) AS owned_group_count,
  COALESCE(r.owns_role_group, FALSE) AS owns_role_group,
  s.last_successful_sign_in_date_time,
  s.last_activity_date_time AS last_sign_in_attempt_date_time,
  {{daysBetween "s.last_successful_sign_in_date_time" (now)}} AS days_since_last_sign_in,
  -- Graph's last sign-in times count failed attempts too; only the last successful one shows use.
  CASE
    WHEN s.user_id IS NULL THEN 'unknown'
    WHEN s.last_successful_sign_in_date_time IS NULL THEN 'never_signed_in'
    WHEN s.last_successful_sign_in_date_time < {{daysAgo 90}} THEN 'inactive_90_days'
    ELSE 'active'
  END AS sign_in_status
FROM {{ref "stg_users"}} AS u
LEFT JOIN memberships AS m ON m.user_id = u.user_id
LEFT JOIN roles AS r ON r.user_id = u.user_id
LEFT JOIN owned AS o ON o.user_id = u.user_id
LEFT JOIN {{ref "stg_user_sign_in_activity"}} AS s ON s.user_id = u.user_id
