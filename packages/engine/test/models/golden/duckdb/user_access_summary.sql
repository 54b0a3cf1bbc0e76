CREATE OR REPLACE VIEW "main"."user_access_summary" AS
WITH user_groups AS (
  -- One row per group the user is in, however many paths lead there: groups sharing a display
  -- name each keep theirs in group_names.
  SELECT
    em.member_id AS user_id,
    em.group_id,
    MAX(em.group_display_name) AS group_display_name,
    MAX(CASE WHEN em.is_direct THEN 1 ELSE 0 END) AS is_direct
  FROM "main"."group_membership_effective" AS em
  WHERE em.member_type = 'user'
  GROUP BY em.member_id, em.group_id
),
memberships AS (
  SELECT
    ug.user_id,
    COUNT(CASE WHEN ug.is_direct = 1 THEN 1 END) AS direct_group_count,
    COUNT(*) AS group_count,
    string_agg(ug.group_display_name, ',' ORDER BY ug.group_display_name) AS group_names
  FROM user_groups AS ug
  GROUP BY ug.user_id
),
roles AS (
  -- One read of privileged_access (and of the nesting under it): the roles a user holds, and
  -- whether it owns a group that holds one (a role it can take, not one it holds).
  SELECT
    p.user_id,
    COUNT(DISTINCT p.held_role_id) AS role_count,
    string_agg(DISTINCT p.held_role_name, ',' ORDER BY p.held_role_name) AS role_names,
    MAX(CASE WHEN p.held_role_id IS NOT NULL AND p.is_global_administrator THEN 1 ELSE 0 END) = 1 AS is_global_administrator,
    MAX(CASE WHEN p.owns_role_group THEN 1 ELSE 0 END) = 1 AS owns_role_group
  FROM (
    SELECT
      pa.principal_id AS user_id,
      pa.is_global_administrator,
      pa.assignment_type = 'group_owner' AS owns_role_group,
      CASE WHEN pa.assignment_type <> 'group_owner' THEN pa.role_id END AS held_role_id,
      CASE WHEN pa.assignment_type <> 'group_owner' THEN pa.role_display_name END AS held_role_name
    FROM "main"."privileged_access" AS pa
    WHERE pa.principal_type = 'user'
  ) AS p
  GROUP BY p.user_id
),
owned AS (
  SELECT o.owner_id AS user_id, COUNT(DISTINCT o.group_id) AS owned_group_count
  FROM "main"."stg_group_owners" AS o
  INNER JOIN "main"."stg_groups" AS g ON g.group_id = o.group_id
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
  CAST(floor((epoch(current_timestamp) - epoch(s.last_successful_sign_in_date_time)) / 86400) AS BIGINT) AS days_since_last_sign_in,
  -- Graph's last sign-in times count failed attempts too; only the last successful one shows use.
  CASE
    WHEN s.user_id IS NULL THEN 'unknown'
    WHEN s.last_successful_sign_in_date_time IS NULL THEN 'never_signed_in'
    WHEN s.last_successful_sign_in_date_time < (current_timestamp - INTERVAL 90 DAY) THEN 'inactive_90_days'
    ELSE 'active'
  END AS sign_in_status
FROM "main"."stg_users" AS u
LEFT JOIN memberships AS m ON m.user_id = u.user_id
LEFT JOIN roles AS r ON r.user_id = u.user_id
LEFT JOIN owned AS o ON o.user_id = u.user_id
LEFT JOIN "main"."stg_user_sign_in_activity" AS s ON s.user_id = u.user_id
