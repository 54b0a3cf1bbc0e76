---
{
  "materialized": "view",
  "description": "One row per application registration, deleted ones left out; `id` (the object id) is `application_id`, `app_id` is the client id shared with its service principals.",
  "columns": {
    "application_id": { "description": "Object id of the application (GUID); not the client id.", "tests": ["not_null", "unique"] },
    "app_id": { "description": "Application (client) id (GUID); the same value appears as appId on the app's service principals." },
    "display_name": { "description": "Display name." },
    "description": { "description": "Free-text description of the app (unconfirmed)." },
    "notes": { "description": "Free-text notes about managing the app (unconfirmed)." },
    "created_date_time": { "description": "Created date time." },
    "deleted_date_time": { "description": "Deleted date time." },
    "sign_in_audience": { "description": "AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount or PersonalMicrosoftAccount: who can sign in to the app." },
    "publisher_domain": { "description": "Verified publisher domain of the app." },
    "identifier_uris": { "description": "App ID URIs that identify the app when it exposes an API (e.g. api://…)." },
    "tags": { "description": "Tags." },
    "disabled_by_microsoft_status": { "description": "Set when Microsoft has disabled the app (e.g. DisabledDueToViolationOfServicesAgreement); null otherwise." },
    "is_fallback_public_client": { "description": "true when the app is treated as a public client (e.g. mobile or desktop) where the client type cannot be determined (unconfirmed)." },
    "service_management_reference": { "description": "Reference to the owning service or asset in a service-management database (unconfirmed)." },
    "app_roles": { "description": "Application roles the app declares, which can be assigned to users, groups or other apps." },
    "password_credentials": { "description": "Client secrets (metadata only: Graph always returns secretText as null on read, and it is not stored)." },
    "key_credentials": { "description": "Certificates registered for the app (metadata only; the key itself is not stored). Selecting this property is limited by Graph to 150 requests per minute per tenant." },
    "required_resource_access": { "description": "API permissions the app requests, per resource API (what it asks for at consent; not what was granted) (unconfirmed)." },
    "web": { "description": "Web platform settings (unconfirmed)." },
    "spa": { "description": "Single-page-application platform settings (unconfirmed)." },
    "public_client": { "description": "Public-client (mobile and desktop) platform settings (unconfirmed)." },
    "api": { "description": "Settings of the API the app exposes (delegated permission scopes, pre-authorized client apps, token version), stored as JSON (unconfirmed shape)." },
    "info": { "description": "Marketing, support, terms-of-service and privacy-statement URLs and logo URL, stored as JSON (unconfirmed shape)." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  }
}
---
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
FROM {{source "applications"}}
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
