---
{
  "materialized": "view",
  "description": "Audit events that change privilege: directory role assignments and removals, credentials added to or removed from applications and service principals, and consent or permission grants to apps, one row per event with who did it and to what. Answers \"who granted which powerful access, when?\".",
  "columns": {
    "event_id": { "description": "Audit event id.", "tests": ["not_null", "unique"] },
    "activity_date_time": { "description": "When it happened (UTC).", "tests": ["not_null"] },
    "change_kind": { "description": "role_assignment, credential_change or consent_grant.", "tests": ["not_null", { "accepted_values": { "values": ["role_assignment", "credential_change", "consent_grant"] } }] },
    "activity_display_name": { "description": "Graph's activity name, e.g. Add member to role." },
    "category": { "description": "Audit category." },
    "operation_type": { "description": "Add, Update, Delete, Assign ..." },
    "result": { "description": "success or failure (a failed attempt is worth a look too)." },
    "actor_type": { "description": "user, app or unknown.", "tests": ["not_null"] },
    "actor_id": { "description": "User object id or the app's service principal id." },
    "actor_name": { "description": "User principal name or app name of who did it." },
    "actor_ip_address": { "description": "Client IP address when the actor is a user." },
    "target_id": { "description": "Object id of the first target (the user, app or service principal that received the change)." },
    "target_type": { "description": "Kind of that target." },
    "target_display_name": { "description": "Name of that target." },
    "target_user_principal_name": { "description": "Sign-in name when the target is a user." },
    "role_name": { "description": "For role changes: the role (from the Role.DisplayName property)." },
    "role_template_id": { "description": "For role changes: the role template id (from Role.TemplateId)." },
    "is_global_administrator": { "description": "TRUE when the change is about Global Administrator.", "tests": ["not_null"] },
    "changed_properties": { "description": "Names of the properties the event changed, sorted, comma-separated." }
  }
}
---
WITH classified AS (
  SELECT
    t.*,
    CASE
      WHEN LOWER(t.activity_display_name) LIKE '%credential%'
        OR LOWER(t.activity_display_name) LIKE '%certificates and secrets%' THEN 'credential_change'
      WHEN LOWER(t.activity_display_name) LIKE '%consent%'
        OR LOWER(t.activity_display_name) LIKE '%permission grant%'
        OR LOWER(t.activity_display_name) LIKE '%app role assignment%' THEN 'consent_grant'
      WHEN LOWER(t.activity_display_name) LIKE '%to role%'
        OR LOWER(t.activity_display_name) LIKE '%from role%'
        OR t.category = 'RoleManagement' THEN 'role_assignment'
    END AS change_kind
  FROM {{ref "directory_audit_trail"}} AS t
)
SELECT
  c.event_id,
  c.activity_date_time,
  c.change_kind,
  c.activity_display_name,
  c.category,
  c.operation_type,
  c.result,
  c.actor_type,
  c.actor_id,
  c.actor_name,
  c.actor_ip_address,
  MAX(CASE WHEN c.target_index = 0 THEN c.target_id END) AS target_id,
  MAX(CASE WHEN c.target_index = 0 THEN c.target_type END) AS target_type,
  MAX(CASE WHEN c.target_index = 0 THEN c.target_display_name END) AS target_display_name,
  MAX(CASE WHEN c.target_index = 0 THEN c.target_user_principal_name END) AS target_user_principal_name,
  MAX(CASE WHEN c.property_name = 'Role.DisplayName' THEN COALESCE(c.new_value_text, c.old_value_text) END) AS role_name,
  MAX(CASE WHEN c.property_name = 'Role.TemplateId' THEN COALESCE(c.new_value_text, c.old_value_text) END) AS role_template_id,
  MAX(CASE
    WHEN c.property_name = 'Role.TemplateId' AND COALESCE(c.new_value_text, c.old_value_text) = '62e90394-69f5-4237-9190-012177145e10' THEN 1
    WHEN c.property_name = 'Role.DisplayName' AND COALESCE(c.new_value_text, c.old_value_text) = 'Global Administrator' THEN 1
    ELSE 0
  END) = 1 AS is_global_administrator,
  {{stringAgg "c.property_name"}} AS changed_properties
FROM classified AS c
WHERE c.change_kind IS NOT NULL
GROUP BY
  c.event_id, c.activity_date_time, c.change_kind, c.activity_display_name, c.category, c.operation_type,
  c.result, c.actor_type, c.actor_id, c.actor_name, c.actor_ip_address
