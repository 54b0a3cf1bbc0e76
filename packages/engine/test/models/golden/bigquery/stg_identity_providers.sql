CREATE OR REPLACE VIEW `my-project.entraid.stg_identity_providers` AS
SELECT
  id AS identity_provider_id,
  odata_type,
  display_name,
  identity_provider_type,
  client_id,
  _kaivo_synced_at AS synced_at
FROM `my-project.entraid.identityproviders`
