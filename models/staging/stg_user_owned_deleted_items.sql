---
{
  "materialized": "view",
  "description": "Groups and applications in the recycle bin (soft-deleted, restorable for 30 days) owned by the configured user; `id` is `object_id`.",
  "columns": {
    "object_id": { "description": "Object id of the deleted group or application (GUID).", "tests": ["not_null", "unique"] },
    "odata_type": { "description": "#microsoft.graph.group or #microsoft.graph.application." },
    "owner_user_id": { "description": "Object id of the owning user (the configured user), added by Kaivo." },
    "object_kind": { "description": "Group or Application: the type the object was requested with, added by Kaivo." },
    "display_name": { "description": "Display name." },
    "deleted_date_time": { "description": "When the object was deleted; set on every item." },
    "created_date_time": { "description": "Created date time." },
    "description": { "description": "Description." },
    "mail": { "description": "Groups only: SMTP address." },
    "mail_enabled": { "description": "Groups only." },
    "security_enabled": { "description": "Groups only." },
    "group_types": { "description": "Groups only: contains Unified for Microsoft 365 groups; empty for applications." },
    "app_id": { "description": "Applications only: application (client) id (GUID)." },
    "sign_in_audience": { "description": "Applications only: AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount or PersonalMicrosoftAccount." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  }
}
---
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
FROM {{source "user_owned_deleted_items"}}
