---
{
  "materialized": "view",
  "description": "Owner edges (group, owner), removed edges and the edges of removed principals (stg_removed_principals) left out; owner_type is Graph's @odata.type without its prefix (user, servicePrincipal).",
  "columns": {
    "group_id": { "description": "Id of the group.", "tests": ["not_null"] },
    "owner_id": { "description": "Id of the owner object.", "tests": ["not_null"] },
    "owner_type": { "description": "Kind of the owner, e.g. user or servicePrincipal." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  },
  "tests": [
    {"unique": {"columns": ["group_id", "owner_id"]}}
  ]
}
---
SELECT
  group_id,
  owner_id,
  REPLACE(REPLACE(owner_type, '#microsoft.graph.', ''), 'microsoft.graph.', '') AS owner_type,
  _kaivo_synced_at AS synced_at
FROM {{source "group_owners"}} AS e
-- Rows Graph reported removed stay in the synced table for history; models leave them out, and
-- the edges of principals removed since (whose removal Graph may not report on the edge).
WHERE e._kaivo_deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM {{ref "stg_removed_principals"}} AS r WHERE r.principal_id = e.owner_id)
