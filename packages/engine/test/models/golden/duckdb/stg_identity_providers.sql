CREATE OR REPLACE VIEW "main"."stg_identity_providers" AS
SELECT
  id AS identity_provider_id,
  odata_type,
  display_name,
  identity_provider_type,
  client_id,
  _kaivo_synced_at AS synced_at
FROM "main"."identityproviders"
