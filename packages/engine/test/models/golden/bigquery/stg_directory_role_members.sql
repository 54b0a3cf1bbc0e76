CREATE OR REPLACE VIEW `my-project.entraid.stg_directory_role_members` AS
SELECT
  role_id,
  member_id,
  REPLACE(REPLACE(member_type, '#microsoft.graph.', ''), 'microsoft.graph.', '') AS member_type,
  _kaivo_synced_at AS synced_at
FROM `my-project.entraid.directoryrole_members` AS e
-- Rows Graph reported removed stay in the synced table for history; models leave them out, and
-- the edges of principals removed since (whose removal Graph may not report on the edge).
WHERE e._kaivo_deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM `my-project.entraid.stg_removed_principals` AS r WHERE r.principal_id = e.member_id)
