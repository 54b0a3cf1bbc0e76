CREATE OR REPLACE VIEW `my-project.entraid.privileged_changes` AS
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
  FROM `my-project.entraid.directory_audit_trail` AS t
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
  STRING_AGG(DISTINCT c.property_name ORDER BY c.property_name) AS changed_properties
FROM classified AS c
WHERE c.change_kind IS NOT NULL
GROUP BY
  c.event_id, c.activity_date_time, c.change_kind, c.activity_display_name, c.category, c.operation_type,
  c.result, c.actor_type, c.actor_id, c.actor_name, c.actor_ip_address
