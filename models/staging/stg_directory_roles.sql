---
{
  "materialized": "view",
  "description": "One row per activated directory role in the tenant, deleted ones left out; `id` is `role_id`, `role_template_id` is the well-known id shared by every tenant.",
  "columns": {
    "role_id": { "description": "Object id of the activated role in this tenant (GUID); differs between tenants.", "tests": ["not_null", "unique"] },
    "display_name": { "description": "e.g. Global Administrator, Global Reader." },
    "description": { "description": "Description." },
    "role_template_id": { "description": "Id of the role template (GUID), the same in every tenant; joins to directoryroletemplates.id." },
    "deleted_date_time": { "description": "Deleted date time." },
    "synced_at": { "description": "When Kaivo last wrote this row." },
    "is_global_administrator": { "description": "TRUE for Global Administrator (role template 62e90394-69f5-4237-9190-012177145e10).", "tests": ["not_null"] }
  }
}
---
SELECT
  id AS role_id,
  display_name,
  description,
  role_template_id,
  deleted_date_time,
  _kaivo_synced_at AS synced_at,
  COALESCE(role_template_id = '62e90394-69f5-4237-9190-012177145e10', FALSE) AS is_global_administrator
FROM {{source "directoryroles"}}
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
