---
{
  "materialized": "view",
  "description": "Direct membership edges (group, member), removed edges and the edges of removed principals (stg_removed_principals) left out; member_type is Graph's @odata.type without its prefix (user, group, servicePrincipal, device, orgContact).",
  "columns": {
    "group_id": { "description": "Id of the group.", "tests": ["not_null"] },
    "member_id": { "description": "Id of the member object.", "tests": ["not_null"] },
    "member_type": { "description": "Kind of the member, e.g. user or group (a nested group)." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  },
  "tests": [
    {"unique": {"columns": ["group_id", "member_id"]}}
  ]
}
---
SELECT
  group_id,
  member_id,
  REPLACE(REPLACE(member_type, '#microsoft.graph.', ''), 'microsoft.graph.', '') AS member_type,
  _kaivo_synced_at AS synced_at
FROM {{source "group_members"}} AS e
-- Rows Graph reported removed stay in the synced table for history; models leave them out, and
-- the edges of principals removed since (whose removal Graph may not report on the edge).
WHERE e._kaivo_deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM {{ref "stg_removed_principals"}} AS r WHERE r.principal_id = e.member_id)
