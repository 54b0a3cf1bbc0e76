CREATE OR REPLACE VIEW "main"."privileged_access" AS
WITH holders AS (
  SELECT
    rm.role_id,
    rm.member_id AS principal_id,
    rm.member_type AS principal_type,
    'direct' AS assignment_type,
    CAST(NULL AS VARCHAR) AS via_group_id
  FROM "main"."stg_directory_role_members" AS rm
  UNION ALL
  -- Members of a group that holds the role hold it too; role-assignable groups cannot nest
  -- groups, but the effective membership would follow nesting if a tenant ever allows it.
  SELECT
    rm.role_id,
    em.member_id AS principal_id,
    em.member_type AS principal_type,
    'group' AS assignment_type,
    rm.member_id AS via_group_id
  FROM "main"."stg_directory_role_members" AS rm
  INNER JOIN "main"."group_membership_effective" AS em ON em.group_id = rm.member_id
  WHERE COALESCE(em.member_type, '') <> 'group'
  UNION ALL
  -- An owner of a group that holds the role can add itself as a member: the role is its to take.
  SELECT
    rm.role_id,
    o.owner_id AS principal_id,
    o.owner_type AS principal_type,
    'group_owner' AS assignment_type,
    rm.member_id AS via_group_id
  FROM "main"."stg_directory_role_members" AS rm
  INNER JOIN "main"."stg_group_owners" AS o ON o.group_id = rm.member_id
)
SELECT
  r.role_id,
  r.role_template_id,
  r.display_name AS role_display_name,
  r.is_global_administrator,
  CASE WHEN r.is_global_administrator THEN 0 ELSE 1 END AS role_sort_order,
  h.principal_id,
  COALESCE(
    h.principal_type,
    CASE
      WHEN u.user_id IS NOT NULL THEN 'user'
      WHEN sp.service_principal_id IS NOT NULL THEN 'servicePrincipal'
      WHEN pg.group_id IS NOT NULL THEN 'group'
    END
  ) AS principal_type,
  COALESCE(u.display_name, sp.display_name, pg.display_name) AS principal_display_name,
  u.user_principal_name AS principal_user_principal_name,
  COALESCE(u.account_enabled, sp.account_enabled) AS principal_account_enabled,
  h.assignment_type,
  h.via_group_id,
  vg.display_name AS via_group_display_name,
  vg.is_assignable_to_role AS via_group_is_assignable_to_role
FROM holders AS h
INNER JOIN "main"."stg_directory_roles" AS r ON r.role_id = h.role_id
LEFT JOIN "main"."stg_users" AS u ON u.user_id = h.principal_id
LEFT JOIN "main"."stg_service_principals" AS sp ON sp.service_principal_id = h.principal_id
LEFT JOIN "main"."stg_groups" AS pg ON pg.group_id = h.principal_id
LEFT JOIN "main"."stg_groups" AS vg ON vg.group_id = h.via_group_id
ORDER BY role_sort_order, role_display_name, assignment_type, principal_display_name, principal_id
