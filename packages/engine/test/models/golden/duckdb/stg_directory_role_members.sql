CREATE OR REPLACE VIEW "main"."stg_directory_role_members" AS
SELECT
  role_id,
  member_id,
  REPLACE(REPLACE(member_type, '#microsoft.graph.', ''), 'microsoft.graph.', '') AS member_type,
  _kaivo_synced_at AS synced_at
FROM "main"."directoryrole_members"
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
