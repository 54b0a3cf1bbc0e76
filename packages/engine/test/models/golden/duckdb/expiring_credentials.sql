CREATE OR REPLACE VIEW "main"."expiring_credentials" AS
WITH credentials AS (
  SELECT 'application' AS credential_owner, a.application_id AS owner_object_id, a.app_id, 'password' AS credential_type,
    cred.key_id, cred.display_name AS credential_display_name, CAST(NULL AS VARCHAR) AS key_usage, cred.start_date_time, cred.end_date_time
  FROM "main"."stg_applications" AS a
  CROSS JOIN (SELECT UNNEST(a.password_credentials) AS cred) AS _unnest_cred
  UNION ALL
  SELECT 'application', a.application_id, a.app_id, 'certificate',
    cert.key_id, cert.display_name, cert.usage, cert.start_date_time, cert.end_date_time
  FROM "main"."stg_applications" AS a
  CROSS JOIN (SELECT UNNEST(a.key_credentials) AS cert) AS _unnest_cert
  UNION ALL
  SELECT 'service_principal', sp.service_principal_id, sp.app_id, 'password',
    cred.key_id, cred.display_name, CAST(NULL AS VARCHAR), cred.start_date_time, cred.end_date_time
  FROM "main"."stg_service_principals" AS sp
  CROSS JOIN (SELECT UNNEST(sp.password_credentials) AS cred) AS _unnest_cred
  UNION ALL
  SELECT 'service_principal', sp.service_principal_id, sp.app_id, 'certificate',
    cert.key_id, cert.display_name, cert.usage, cert.start_date_time, cert.end_date_time
  FROM "main"."stg_service_principals" AS sp
  CROSS JOIN (SELECT UNNEST(sp.key_credentials) AS cert) AS _unnest_cert
)
SELECT
  c.credential_owner,
  c.owner_object_id,
  c.app_id,
  a.application_id,
  a.display_name AS application_display_name,
  sp.service_principal_id,
  sp.display_name AS service_principal_display_name,
  c.credential_type,
  c.key_id,
  c.credential_display_name,
  c.key_usage,
  c.start_date_time,
  c.end_date_time,
  CAST(floor((epoch(c.end_date_time) - epoch(current_timestamp)) / 86400) AS BIGINT) AS days_until_expiry,
  CASE WHEN c.end_date_time < current_timestamp THEN 'expired' ELSE 'expiring_soon' END AS status
FROM credentials AS c
LEFT JOIN "main"."stg_applications" AS a ON a.app_id = c.app_id
LEFT JOIN "main"."stg_service_principals" AS sp ON sp.app_id = c.app_id
WHERE c.end_date_time < (current_timestamp + INTERVAL 30 DAY)
