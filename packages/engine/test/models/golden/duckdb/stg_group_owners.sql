CREATE OR REPLACE VIEW "main"."stg_group_owners" AS
SELECT
  group_id,
  owner_id,
  REPLACE(REPLACE(owner_type, '#microsoft.graph.', ''), 'microsoft.graph.', '') AS owner_type,
  _kaivo_synced_at AS synced_at
FROM "main"."group_owners" AS e
-- Rows Graph reported removed stay in the synced table for history; models leave them out, and
-- the edges of principals removed since (whose removal Graph may not report on the edge).
WHERE e._kaivo_deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM "main"."stg_removed_principals" AS r WHERE r.principal_id = e.owner_id)
