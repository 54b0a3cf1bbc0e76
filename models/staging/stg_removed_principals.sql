---
{
  "materialized": "view",
  "description": "Users, groups and service principals the warehouse holds as removed (soft- or hard-deleted, or vanished at a resync), one row each. Graph does not always end a removed object's memberships and role assignments in members@delta, and a run that syncs users but fails directoryroles leaves those edges live: the edge views leave these principals out.",
  "columns": {
    "principal_id": { "description": "Object id.", "tests": ["not_null", "unique"] },
    "principal_type": { "description": "user, group or servicePrincipal.", "tests": ["not_null", { "accepted_values": { "values": ["user", "group", "servicePrincipal"] } }] },
    "removed_at": { "description": "When Kaivo first saw it removed." },
    "removed_reason": { "description": "Graph's reason (changed: soft-deleted; deleted: gone for good) or vanished (missing from a resync)." }
  }
}
---
WITH removed AS (
  SELECT id AS principal_id, 'user' AS principal_type, _kaivo_deleted_at AS removed_at, _kaivo_deleted_reason AS removed_reason
  FROM {{source "users"}}
  WHERE _kaivo_deleted_at IS NOT NULL
  UNION ALL
  SELECT id, 'group', _kaivo_deleted_at, _kaivo_deleted_reason
  FROM {{source "groups"}}
  WHERE _kaivo_deleted_at IS NOT NULL
{{#if (sourceExists "serviceprincipals")}}
  UNION ALL
  SELECT id, 'servicePrincipal', _kaivo_deleted_at, _kaivo_deleted_reason
  FROM {{source "serviceprincipals"}}
  WHERE _kaivo_deleted_at IS NOT NULL
{{/if}}
)
SELECT principal_id, principal_type, removed_at, removed_reason
FROM removed
