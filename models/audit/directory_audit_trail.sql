---
{
  "materialized": "view",
  "description": "The directory audit log flattened: one row per (event, target resource, modified property), with the actor as a user or an app. Events without targets or property changes keep one row with NULLs there. Answers \"who changed what, on which object, from which value to which?\".",
  "columns": {
    "event_id": { "description": "Audit event id.", "tests": ["not_null", { "relationships": { "to": "stg_directory_audits", "field": "event_id" } }] },
    "activity_date_time": { "description": "When it happened (UTC).", "tests": ["not_null"] },
    "activity_date": { "description": "The UTC date of activity_date_time." },
    "activity_display_name": { "description": "What happened, e.g. Add member to group." },
    "category": { "description": "e.g. GroupManagement, UserManagement, ApplicationManagement, RoleManagement." },
    "operation_type": { "description": "e.g. Add, Update, Delete, Assign." },
    "result": { "description": "success, failure, timeout or unknownFutureValue." },
    "result_reason": { "description": "Why it failed, when it did." },
    "logged_by_service": { "description": "Service that logged the event." },
    "correlation_id": { "description": "Shared by the events of one operation." },
    "actor_type": { "description": "user, app, or unknown when Graph names neither.", "tests": ["not_null", { "accepted_values": { "values": ["user", "app", "unknown"] } }] },
    "actor_id": { "description": "User object id, or the app's service principal id." },
    "actor_name": { "description": "User principal name, or the app's display name." },
    "actor_app_id": { "description": "Application (client) id when the actor is an app." },
    "actor_ip_address": { "description": "Client IP address when the actor is a user." },
    "target_index": { "description": "0-based position of the target in the event; NULL when the event has none." },
    "target_id": { "description": "Object id of the target." },
    "target_type": { "description": "Kind of target: User, Group, Application, ServicePrincipal, Role ..." },
    "target_display_name": { "description": "Name of the target." },
    "target_user_principal_name": { "description": "Sign-in name when the target is a user." },
    "property_index": { "description": "0-based position of the property change in the target; NULL when none." },
    "property_name": { "description": "Name of the changed property, e.g. Role.DisplayName, AccountEnabled." },
    "old_value": { "description": "Previous value exactly as Graph sent it (a JSON-encoded string)." },
    "new_value": { "description": "New value exactly as Graph sent it (a JSON-encoded string)." },
    "old_value_text": { "description": "Previous value decoded: a JSON string or a one-element array unwrapped to its text, anything else as sent." },
    "new_value_text": { "description": "New value decoded the same way." }
  },
  "tests": [
    { "unique": { "columns": ["event_id", "target_index", "property_index"] } }
  ]
}
---
SELECT
  e.event_id,
  e.activity_date_time,
  {{dateOf "e.activity_date_time"}} AS activity_date,
  e.activity_display_name,
  e.category,
  e.operation_type,
  e.result,
  e.result_reason,
  e.logged_by_service,
  e.correlation_id,
  -- Graph sends empty strings for fields it has no value for (an app's event carries ipAddress ""): read as NULL.
  CASE
    WHEN NULLIF(e.initiated_by.user.id, '') IS NOT NULL OR NULLIF(e.initiated_by.user.user_principal_name, '') IS NOT NULL THEN 'user'
    WHEN NULLIF(e.initiated_by.app.app_id, '') IS NOT NULL OR NULLIF(e.initiated_by.app.service_principal_id, '') IS NOT NULL
      OR NULLIF(e.initiated_by.app.display_name, '') IS NOT NULL THEN 'app'
    ELSE 'unknown'
  END AS actor_type,
  COALESCE(NULLIF(e.initiated_by.user.id, ''), NULLIF(e.initiated_by.app.service_principal_id, '')) AS actor_id,
  COALESCE(NULLIF(e.initiated_by.user.user_principal_name, ''), NULLIF(e.initiated_by.user.display_name, ''), NULLIF(e.initiated_by.app.display_name, ''),
    NULLIF(e.initiated_by.app.service_principal_name, '')) AS actor_name,
  NULLIF(e.initiated_by.app.app_id, '') AS actor_app_id,
  NULLIF(e.initiated_by.user.ip_address, '') AS actor_ip_address,
  target_index,
  target.id AS target_id,
  target.type AS target_type,
  target.display_name AS target_display_name,
  target.user_principal_name AS target_user_principal_name,
  property_index,
  prop.display_name AS property_name,
  prop.old_value,
  prop.new_value,
  COALESCE(
    {{jsonScalar "prop.old_value" "$"}},
    CASE WHEN {{jsonScalar "prop.old_value" "$[1]"}} IS NULL THEN {{jsonScalar "prop.old_value" "$[0]"}} END,
    prop.old_value
  ) AS old_value_text,
  COALESCE(
    {{jsonScalar "prop.new_value" "$"}},
    CASE WHEN {{jsonScalar "prop.new_value" "$[1]"}} IS NULL THEN {{jsonScalar "prop.new_value" "$[0]"}} END,
    prop.new_value
  ) AS new_value_text
FROM {{ref "stg_directory_audits"}} AS e
LEFT JOIN {{unnest "e.target_resources" "target" offset="target_index"}} ON TRUE
LEFT JOIN {{unnest "target.modified_properties" "prop" offset="property_index"}} ON TRUE
