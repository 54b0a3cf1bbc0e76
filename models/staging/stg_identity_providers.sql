---
{
  "materialized": "view",
  "description": "One row per identity provider configured for sign-in (built-in and social); `id` is `identity_provider_id`.",
  "columns": {
    "identity_provider_id": { "description": "Provider id: not a GUID (e.g. MSASignup-OAUTH, EmailOtpSignup-OAUTH, Google-OAUTH, Apple-Managed-OIDC).", "tests": ["not_null", "unique"] },
    "odata_type": { "description": "Provider kind, e.g. #microsoft.graph.builtInIdentityProvider or #microsoft.graph.socialIdentityProvider; Graph's examples sometimes omit the leading #." },
    "display_name": { "description": "Display name." },
    "identity_provider_type": { "description": "e.g. AADSignup, MicrosoftAccount, EmailOTP, Google, Facebook." },
    "client_id": { "description": "Client id the tenant registered with the social provider; null for built-in providers." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  }
}
---
SELECT
  id AS identity_provider_id,
  odata_type,
  display_name,
  identity_provider_type,
  client_id,
  _kaivo_synced_at AS synced_at
FROM {{source "identityproviders"}}
