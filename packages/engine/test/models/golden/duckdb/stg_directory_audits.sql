CREATE OR REPLACE VIEW "main"."stg_directory_audits" AS
SELECT
  id AS event_id,
  activity_date_time,
  activity_display_name,
  category,
  correlation_id,
  logged_by_service,
  operation_type,
  result,
  result_reason,
  initiated_by,
  target_resources,
  additional_details,
  _kaivo_synced_at AS synced_at
FROM "main"."directoryaudits"
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
