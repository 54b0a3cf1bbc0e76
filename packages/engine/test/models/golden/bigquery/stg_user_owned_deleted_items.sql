CREATE OR REPLACE VIEW `my-project.entraid.stg_user_owned_deleted_items` AS
SELECT
  id AS object_id,
  odata_type,
  owner_user_id,
  object_kind,
  display_name,
  deleted_date_time,
  created_date_time,
  description,
  mail,
  mail_enabled,
  security_enabled,
  group_types,
  app_id,
  sign_in_audience,
  _kaivo_synced_at AS synced_at
FROM `my-project.entraid.user_owned_deleted_items`
