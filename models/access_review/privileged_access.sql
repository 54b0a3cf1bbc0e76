---
{
  "materialized": "view",
  "description": "Who holds each activated directory role, directly or through a role-assignable group, and who owns such a group (an owner can add itself to it, and so take the role): one row per (role, principal, group it comes through, how). Global Administrator sorts first. Answers \"who has admin rights in the tenant, or can take them, and how?\".",
  "columns": {
    "role_id": { "description": "Id of the activated directory role.", "tests": ["not_null", { "relationships": { "to": "stg_directory_roles", "field": "role_id" } }] },
    "role_template_id": { "description": "Well-known template id of the role, the same in every tenant." },
    "role_display_name": { "description": "Role name, e.g. Global Administrator." },
    "is_global_administrator": { "description": "TRUE for Global Administrator (template 62e90394-69f5-4237-9190-012177145e10).", "tests": ["not_null"] },
    "role_sort_order": { "description": "0 for Global Administrator, 1 for every other role; sort by it, then by role name.", "tests": ["not_null", { "accepted_values": { "values": [0, 1] } }] },
    "principal_id": { "description": "Id of the user, service principal or group that holds the role, or owns a group that holds it.", "tests": ["not_null"] },
    "principal_type": { "description": "user, servicePrincipal or group (a role-assignable group assigned directly)." },
    "principal_display_name": { "description": "Display name of the principal." },
    "principal_user_principal_name": { "description": "Sign-in name when the principal is a user." },
    "principal_account_enabled": { "description": "Whether the user or service principal can sign in; NULL for groups." },
    "assignment_type": { "description": "direct: the principal is a member of the role; group: it is a member of a group that is; group_owner: it owns a group that is, so it can add itself to the group and take the role.", "tests": ["not_null", { "accepted_values": { "values": ["direct", "group", "group_owner"] } }] },
    "via_group_id": { "description": "For assignment_type group or group_owner: the role-assignable group that holds the role." },
    "via_group_display_name": { "description": "Display name of that group." },
    "via_group_is_assignable_to_role": { "description": "Whether that group is marked role-assignable (it must be, for Entra to allow the assignment)." }
  },
  "tests": [
    { "unique": { "columns": ["role_id", "principal_id", "via_group_id", "assignment_type"] } },
    { "name": "every_direct_holder", "description": "Each live holder of an activated role is listed as direct.", "sql": "SELECT rm.* FROM {{ref \"stg_directory_role_members\"}} AS rm INNER JOIN {{ref \"stg_directory_roles\"}} AS r ON r.role_id = rm.role_id WHERE NOT EXISTS (SELECT 1 FROM {{self}} AS p WHERE p.role_id = rm.role_id AND p.principal_id = rm.member_id AND p.assignment_type = 'direct')" },
    { "name": "no_removed_principals", "description": "No holder is a user, group or service principal held as removed.", "sql": "SELECT p.* FROM {{self}} AS p INNER JOIN {{ref \"stg_removed_principals\"}} AS r ON r.principal_id = p.principal_id" }
  ]
}
---
WITH holders AS (
  SELECT
    rm.role_id,
    rm.member_id AS principal_id,
    rm.member_type AS principal_type,
    'direct' AS assignment_type,
    {{cast "NULL" "string"}} AS via_group_id
  FROM {{ref "stg_directory_role_members"}} AS rm
  UNION ALL
  -- Members of a group that holds the role hold it too; role-assignable groups cannot nest
  -- groups, but the effective membership would follow nesting if a tenant ever allows it.
  SELECT
    rm.role_id,
    em.member_id AS principal_id,
    em.member_type AS principal_type,
    'group' AS assignment_type,
    rm.member_id AS via_group_id
  FROM {{ref "stg_directory_role_members"}} AS rm
  INNER JOIN {{ref "group_membership_effective"}} AS em ON em.group_id = rm.member_id
  WHERE COALESCE(em.member_type, '') <> 'group'
{{#if (sourceExists "group_owners")}}
  UNION ALL
  -- An owner of a group that holds the role can add itself as a member: the role is its to take.
  SELECT
    rm.role_id,
    o.owner_id AS principal_id,
    o.owner_type AS principal_type,
    'group_owner' AS assignment_type,
    rm.member_id AS via_group_id
  FROM {{ref "stg_directory_role_members"}} AS rm
  INNER JOIN {{ref "stg_group_owners"}} AS o ON o.group_id = rm.member_id
{{/if}}
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
INNER JOIN {{ref "stg_directory_roles"}} AS r ON r.role_id = h.role_id
LEFT JOIN {{ref "stg_users"}} AS u ON u.user_id = h.principal_id
LEFT JOIN {{ref "stg_service_principals"}} AS sp ON sp.service_principal_id = h.principal_id
LEFT JOIN {{ref "stg_groups"}} AS pg ON pg.group_id = h.principal_id
LEFT JOIN {{ref "stg_groups"}} AS vg ON vg.group_id = h.via_group_id
ORDER BY role_sort_order, role_display_name, assignment_type, principal_display_name, principal_id
