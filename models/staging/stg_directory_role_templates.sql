---
{
  "materialized": "view",
  "description": "The catalogue of directory role templates (every built-in role, activated or not); `id` is `role_template_id`.",
  "columns": {
    "role_template_id": { "description": "Template id (GUID), the same in every tenant; directoryroles.role_template_id refers to it.", "tests": ["not_null", "unique"] },
    "display_name": { "description": "Display name." },
    "description": { "description": "Description." },
    "deleted_date_time": { "description": "Always null in practice." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  }
}
---
SELECT
  id AS role_template_id,
  display_name,
  description,
  deleted_date_time,
  _kaivo_synced_at AS synced_at
FROM {{source "directoryroletemplates"}}
