---
{
  "materialized": "view",
  "description": "Client secrets and certificates of applications and their service principals (joined on app_id) that expire within 30 days or have already expired: one row per credential. Answers \"which app credentials need rotating before something breaks, and which dead ones should be removed?\".",
  "columns": {
    "credential_owner": { "description": "application (on the app registration) or service_principal (on the enterprise application, e.g. SAML signing certificates).", "tests": ["not_null", { "accepted_values": { "values": ["application", "service_principal"] } }] },
    "owner_object_id": { "description": "Object id of the application or service principal carrying the credential.", "tests": ["not_null"] },
    "app_id": { "description": "Application (client) id shared by the application and its service principal." },
    "application_id": { "description": "Object id of the application registration; NULL for a service principal of an app registered in another tenant." },
    "application_display_name": { "description": "Name of the application registration." },
    "service_principal_id": { "description": "Object id of the service principal in this tenant; NULL when the app has none." },
    "service_principal_display_name": { "description": "Name of the service principal." },
    "credential_type": { "description": "password (client secret) or certificate (key credential).", "tests": ["not_null", { "accepted_values": { "values": ["password", "certificate"] } }] },
    "key_id": { "description": "Credential id (GUID).", "tests": ["not_null"] },
    "credential_display_name": { "description": "Name given to the secret or certificate." },
    "key_usage": { "description": "For certificates: Verify or Sign." },
    "start_date_time": { "description": "When the credential became valid." },
    "end_date_time": { "description": "When it expires.", "tests": ["not_null"] },
    "days_until_expiry": { "description": "Whole days until expiry; negative when already expired.", "tests": ["not_null"] },
    "status": { "description": "expired or expiring_soon (within 30 days).", "tests": ["not_null", { "accepted_values": { "values": ["expired", "expiring_soon"] } }] }
  },
  "tests": [
    { "unique": { "columns": ["owner_object_id", "credential_type", "key_id"] } },
    { "name": "expires_within_30_days", "sql": "SELECT * FROM {{self}} WHERE end_date_time >= {{daysFromNow 30}}" }
  ]
}
---
WITH credentials AS (
  SELECT 'application' AS credential_owner, a.application_id AS owner_object_id, a.app_id, 'password' AS credential_type,
    cred.key_id, cred.display_name AS credential_display_name, {{cast "NULL" "string"}} AS key_usage, cred.start_date_time, cred.end_date_time
  FROM {{ref "stg_applications"}} AS a
  CROSS JOIN {{unnest "a.password_credentials" "cred"}}
  UNION ALL
  SELECT 'application', a.application_id, a.app_id, 'certificate',
    cert.key_id, cert.display_name, cert.usage, cert.start_date_time, cert.end_date_time
  FROM {{ref "stg_applications"}} AS a
  CROSS JOIN {{unnest "a.key_credentials" "cert"}}
  UNION ALL
  SELECT 'service_principal', sp.service_principal_id, sp.app_id, 'password',
    cred.key_id, cred.display_name, {{cast "NULL" "string"}}, cred.start_date_time, cred.end_date_time
  FROM {{ref "stg_service_principals"}} AS sp
  CROSS JOIN {{unnest "sp.password_credentials" "cred"}}
  UNION ALL
  SELECT 'service_principal', sp.service_principal_id, sp.app_id, 'certificate',
    cert.key_id, cert.display_name, cert.usage, cert.start_date_time, cert.end_date_time
  FROM {{ref "stg_service_principals"}} AS sp
  CROSS JOIN {{unnest "sp.key_credentials" "cert"}}
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
  {{daysBetween (now) "c.end_date_time"}} AS days_until_expiry,
  CASE WHEN c.end_date_time < {{now}} THEN 'expired' ELSE 'expiring_soon' END AS status
FROM credentials AS c
LEFT JOIN {{ref "stg_applications"}} AS a ON a.app_id = c.app_id
LEFT JOIN {{ref "stg_service_principals"}} AS sp ON sp.app_id = c.app_id
WHERE c.end_date_time < {{daysFromNow 30}}
