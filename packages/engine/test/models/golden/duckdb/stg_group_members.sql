CREATE OR REPLACE VIEW "main"."stg_group_members" AS
SELECT
  group_id,
  member_id,
  REPLACE(REPLACE(member_type, '#microsoft.graph.', ''), 'microsoft.graph.', '') AS member_type,
  _kaivo_synced_at AS synced_at
FROM "main"."group_members"
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
