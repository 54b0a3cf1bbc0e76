CREATE OR REPLACE VIEW `my-project.entraid.stg_group_owners` AS
SELECT
  group_id,
  owner_id,
  REPLACE(REPLACE(owner_type, '#microsoft.graph.', ''), 'microsoft.graph.', '') AS owner_type,
  _kaivo_synced_at AS synced_at
FROM `my-project.entraid.group_owners`
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
