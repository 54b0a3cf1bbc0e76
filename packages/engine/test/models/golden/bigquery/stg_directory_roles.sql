CREATE OR REPLACE VIEW `my-project.entraid.stg_directory_roles` AS
SELECT
  id AS role_id,
  display_name,
  description,
  role_template_id,
  deleted_date_time,
  _kaivo_synced_at AS synced_at,
  COALESCE(role_template_id = '62e90394-69f5-4237-9190-012177145e10', FALSE) AS is_global_administrator
FROM `my-project.entraid.directoryroles`
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
