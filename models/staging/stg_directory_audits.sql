---
{
  "materialized": "view",
  "description": "One row per directory audit event; `id` is `event_id`. Nested actor and target records are kept as they are; audit/directory_audit_trail flattens them.",
  "columns": {
    "event_id": { "description": "Event id: a string, not a GUID (e.g. Directory_0a1b…_ABC12_123456789).", "tests": ["not_null", "unique"] },
    "activity_date_time": { "description": "When the activity happened (UTC); the cursor and partitioning field." },
    "activity_display_name": { "description": "e.g. Add member to group, Update application." },
    "category": { "description": "e.g. GroupManagement, UserManagement, ApplicationManagement, RoleManagement (values other than GroupManagement unconfirmed)." },
    "correlation_id": { "description": "GUID shared by the events of one operation." },
    "logged_by_service": { "description": "Service that logged the event, e.g. Core Directory, PIM (examples unconfirmed)." },
    "operation_type": { "description": "e.g. Add, Update, Delete, Assign (examples unconfirmed)." },
    "result": { "description": "success, failure, timeout or unknownFutureValue." },
    "result_reason": { "description": "Why the activity failed; often empty." },
    "initiated_by": { "description": "Who performed the activity: a user or an app (the other is null)." },
    "target_resources": { "description": "The objects the activity changed." },
    "additional_details": { "description": "Extra key/value details of the event, e.g. User-Agent (example unconfirmed)." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  }
}
---
SELECT
  id AS event_id,
  activity_date_time,
  activity_display_name,
  category,
  correlation_id,
  logged_by_service,
  operation_type,
  result,
  result_reason,
  initiated_by,
  target_resources,
  additional_details,
  _kaivo_synced_at AS synced_at
FROM {{source "directoryaudits"}}
-- Rows Graph reported removed stay in the synced table for history; models leave them out.
WHERE _kaivo_deleted_at IS NULL
