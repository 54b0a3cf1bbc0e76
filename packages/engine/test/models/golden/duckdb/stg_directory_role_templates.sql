CREATE OR REPLACE VIEW "main"."stg_directory_role_templates" AS
SELECT
  id AS role_template_id,
  display_name,
  description,
  deleted_date_time,
  _kaivo_synced_at AS synced_at
FROM "main"."directoryroletemplates"
