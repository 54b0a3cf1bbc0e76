---
{
  "materialized": "view",
  "description": "One row per service principal (enterprise application, managed identity, Microsoft first-party app), deleted ones left out; `id` is `service_principal_id`.",
  "columns": {
    "service_principal_id": { "description": "Object id of the service principal (GUID).", "tests": ["not_null", "unique"] },
    "odata_type": { "description": "Subtype marker when Graph sends one (e.g. #microsoft.graph.agentIdentityBlueprintPrincipal in newer tenants; unconfirmed in v1.0); absent for plain service principals." },
    "app_id": { "description": "Application (client) id (GUID) of the app this principal represents; joins to applications.app_id for apps registered in this tenant." },
    "app_display_name": { "description": "Display name of the underlying application." },
    "display_name": { "description": "Display name." },
    "description": { "description": "Free-text description (unconfirmed)." },
    "notes": { "description": "Free-text notes about managing the service principal (unconfirmed)." },
    "service_principal_type": { "description": "Application, ManagedIdentity or Legacy (SocialIdp is seen in practice; unconfirmed in v1.0 docs)." },
    "app_owner_organization_id": { "description": "Tenant id (GUID) where the application is registered: this tenant for in-house apps, another tenant for multi-tenant and Microsoft apps; null for some principals." },
    "account_enabled": { "description": "false when sign-in to the service principal is disabled." },
    "app_role_assignment_required": { "description": "true when users and apps must be assigned an app role before they can sign in or get tokens." },
    "service_principal_names": { "description": "Names that identify the principal: the appId and the app's identifier URIs." },
    "tags": { "description": "e.g. WindowsAzureActiveDirectoryIntegratedApp for apps shown in My Apps (unconfirmed)." },
    "sign_in_audience": { "description": "AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount or PersonalMicrosoftAccount (unconfirmed)." },
    "preferred_single_sign_on_mode": { "description": "password, saml, oidc, notSupported or null (unconfirmed)." },
    "notification_email_addresses": { "description": "Addresses notified when the active SAML signing certificate nears expiry (unconfirmed)." },
    "reply_urls": { "description": "Redirect URIs tokens are sent to." },
    "homepage": { "description": "Home page of the app (unconfirmed)." },
    "login_url": { "description": "Sign-in URL used for service-provider-initiated SSO (unconfirmed)." },
    "logout_url": { "description": "Sign-out URL (unconfirmed)." },
    "deleted_date_time": { "description": "Deleted date time." },
    "app_roles": { "description": "Application roles exposed by the app this principal represents." },
    "oauth2_permission_scopes": { "description": "Delegated permissions (scopes) the app this principal represents exposes (unconfirmed shape)." },
    "password_credentials": { "description": "Secrets registered on the service principal (metadata only: Graph always returns secretText as null on read, and it is not stored)." },
    "key_credentials": { "description": "Certificates registered on the service principal, e.g. SAML signing certificates (metadata only; the key itself is not stored). Selecting this property is limited by Graph to 150 requests per minute per tenant." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  }
}
---
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
FROM {{source "serviceprincipals"}}
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
