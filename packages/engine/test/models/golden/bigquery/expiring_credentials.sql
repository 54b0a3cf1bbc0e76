CREATE OR REPLACE VIEW `my-project.entraid.expiring_credentials` AS
WITH credentials AS (
  SELECT 'application' AS credential_owner, a.application_id AS owner_object_id, a.app_id, 'password' AS credential_type,
    cred.key_id, cred.display_name AS credential_display_name, CAST(NULL AS STRING) AS key_usage, cred.start_date_time, cred.end_date_time
  FROM `my-project.entraid.stg_applications` AS a
  CROSS JOIN UNNEST(a.password_credentials) AS cred
  UNION ALL
  SELECT 'application', a.application_id, a.app_id, 'certificate',
    cert.key_id, cert.display_name, cert.usage, cert.start_date_time, cert.end_date_time
  FROM `my-project.entraid.stg_applications` AS a
  CROSS JOIN UNNEST(a.key_credentials) AS cert
  UNION ALL
  SELECT 'service_principal', sp.service_principal_id, sp.app_id, 'password',
    cred.key_id, cred.display_name, CAST(NULL AS STRING), cred.start_date_time, cred.end_date_time
  FROM `my-project.entraid.stg_service_principals` AS sp
  CROSS JOIN UNNEST(sp.password_credentials) AS cred
  UNION ALL
  SELECT 'service_principal', sp.service_principal_id, sp.app_id, 'certificate',
    cert.key_id, cert.display_name, cert.usage, cert.start_date_time, cert.end_date_time
  FROM `my-project.entraid.stg_service_principals` AS sp
  CROSS JOIN UNNEST(sp.key_credentials) AS cert
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
  CAST(FLOOR(TIMESTAMP_DIFF(c.end_date_time, CURRENT_TIMESTAMP(), MICROSECOND) / 86400000000) AS INT64) AS days_until_expiry,
  CASE WHEN c.end_date_time < CURRENT_TIMESTAMP() THEN 'expired' ELSE 'expiring_soon' END AS status
FROM credentials AS c
LEFT JOIN `my-project.entraid.stg_applications` AS a ON a.app_id = c.app_id
LEFT JOIN `my-project.entraid.stg_service_principals` AS sp ON sp.app_id = c.app_id
WHERE c.end_date_time < TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 30 DAY)
