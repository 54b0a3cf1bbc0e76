CREATE OR REPLACE VIEW "main"."privileged_changes" AS
WITH role_groups AS (
  -- Groups holding a directory role now: a member added to one holds the role (role-assignable groups).
  SELECT m.member_id AS group_id, r.display_name AS role_name, r.role_template_id, r.is_global_administrator
  FROM "main"."stg_directory_role_members" AS m
  JOIN "main"."stg_directory_roles" AS r ON r.role_id = m.role_id
  WHERE m.member_type = 'group'
),
membership_events AS (
  -- The group of a membership or ownership event: Entra names it in the member's Group.ObjectID
  -- property and as a later target (the first target is the member or owner, which may be a group).
  -- An owner of a role-holding group can add itself to it, so gaining or losing one is a role change too.
  SELECT DISTINCT
    t.event_id,
    COALESCE(
      CASE WHEN t.property_name = 'Group.ObjectID' THEN COALESCE(t.new_value_text, t.old_value_text) END,
      CASE WHEN LOWER(t.target_type) = 'group' AND t.target_index > 0 THEN t.target_id END
    ) AS group_id
  FROM "main"."directory_audit_trail" AS t
  WHERE LOWER(t.activity_display_name) IN ('add member to group', 'remove member from group', 'add owner to group', 'remove owner from group')
),
role_group_events AS (
  SELECT
    e.event_id,
    string_agg(DISTINCT g.role_name, ',' ORDER BY g.role_name) AS role_name,
    CASE WHEN COUNT(DISTINCT g.role_template_id) = 1 THEN MIN(g.role_template_id) END AS role_template_id,
    MAX(CASE WHEN g.is_global_administrator THEN 1 ELSE 0 END) = 1 AS is_global_administrator
  FROM membership_events AS e
  JOIN role_groups AS g ON g.group_id = e.group_id
  GROUP BY e.event_id
),
classified AS (
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
        OR t.category = 'RoleManagement'
        OR t.event_id IN (SELECT event_id FROM role_group_events) THEN 'role_assignment'
    END AS change_kind
  FROM "main"."directory_audit_trail" AS t
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
  -- A role change names its role in properties; a role-holding group's membership, through the group.
  COALESCE(MAX(CASE WHEN c.property_name = 'Role.DisplayName' THEN COALESCE(c.new_value_text, c.old_value_text) END), MAX(g.role_name)) AS role_name,
  COALESCE(MAX(CASE WHEN c.property_name = 'Role.TemplateId' THEN COALESCE(c.new_value_text, c.old_value_text) END), MAX(g.role_template_id)) AS role_template_id,
  MAX(CASE
    WHEN c.property_name = 'Role.TemplateId' AND COALESCE(c.new_value_text, c.old_value_text) = '62e90394-69f5-4237-9190-012177145e10' THEN 1
    WHEN c.property_name = 'Role.DisplayName' AND COALESCE(c.new_value_text, c.old_value_text) = 'Global Administrator' THEN 1
    WHEN g.is_global_administrator THEN 1
    ELSE 0
  END) = 1 AS is_global_administrator,
  string_agg(DISTINCT c.property_name, ',' ORDER BY c.property_name) AS changed_properties
FROM classified AS c
LEFT JOIN role_group_events AS g ON g.event_id = c.event_id
WHERE c.change_kind IS NOT NULL
GROUP BY
  c.event_id, c.activity_date_time, c.change_kind, c.activity_display_name, c.category, c.operation_type,
  c.result, c.actor_type, c.actor_id, c.actor_name, c.actor_ip_address
