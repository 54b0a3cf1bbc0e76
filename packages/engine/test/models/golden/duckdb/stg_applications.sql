CREATE OR REPLACE VIEW "main"."stg_applications" AS
SELECT
  id AS application_id,
  app_id,
  display_name,
  description,
  notes,
  created_date_time,
  deleted_date_time,
  sign_in_audience,
  publisher_domain,
  identifier_uris,
  tags,
  disabled_by_microsoft_status,
  is_fallback_public_client,
  service_management_reference,
  app_roles,
  password_credentials,
  key_credentials,
  required_resource_access,
  web,
  spa,
  public_client,
  api,
  info,
  _kaivo_synced_at AS synced_at
FROM "main"."applications"
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
