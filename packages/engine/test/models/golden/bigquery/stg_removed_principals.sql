CREATE OR REPLACE VIEW `my-project.entraid.stg_removed_principals` AS
WITH removed AS (
  SELECT id AS principal_id, 'user' AS principal_type, _kaivo_deleted_at AS removed_at, _kaivo_deleted_reason AS removed_reason
  FROM `my-project.entraid.users`
  WHERE _kaivo_deleted_at IS NOT NULL
  UNION ALL
  SELECT id, 'group', _kaivo_deleted_at, _kaivo_deleted_reason
  FROM `my-project.entraid.groups`
  WHERE _kaivo_deleted_at IS NOT NULL
  UNION ALL
  SELECT id, 'servicePrincipal', _kaivo_deleted_at, _kaivo_deleted_reason
  FROM `my-project.entraid.serviceprincipals`
  WHERE _kaivo_deleted_at IS NOT NULL
)
SELECT principal_id, principal_type, removed_at, removed_reason
FROM removed
