CREATE OR REPLACE VIEW `my-project.entraid.stg_service_principals` AS
SELECT
  id AS service_principal_id,
  odata_type,
  app_id,
  app_display_name,
  display_name,
  description,
  notes,
  service_principal_type,
  app_owner_organization_id,
  account_enabled,
  app_role_assignment_required,
  service_principal_names,
  tags,
  sign_in_audience,
  preferred_single_sign_on_mode,
  notification_email_addresses,
  reply_urls,
  homepage,
  login_url,
  logout_url,
  deleted_date_time,
  app_roles,
  oauth2_permission_scopes,
  password_credentials,
  key_credentials,
  _kaivo_synced_at AS synced_at
FROM `my-project.entraid.serviceprincipals`
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
