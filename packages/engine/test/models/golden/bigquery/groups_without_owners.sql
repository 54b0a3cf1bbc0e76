CREATE OR REPLACE VIEW `my-project.entraid.groups_without_owners` AS
WITH members AS (
  SELECT
    em.group_id,
    COUNT(CASE WHEN em.is_direct THEN 1 END) AS direct_member_count,
    COUNT(DISTINCT CASE WHEN em.member_type = 'user' THEN em.member_id END) AS effective_user_count
  FROM `my-project.entraid.group_membership_effective` AS em
  GROUP BY em.group_id
)
SELECT
  g.group_id,
  g.display_name,
  g.description,
  g.security_enabled,
  g.mail_enabled,
  g.is_unified,
  g.is_dynamic,
  g.is_assignable_to_role,
  COALESCE(m.direct_member_count, 0) AS direct_member_count,
  COALESCE(m.effective_user_count, 0) AS effective_user_count,
  g.created_date_time
FROM `my-project.entraid.stg_groups` AS g
LEFT JOIN members AS m ON m.group_id = g.group_id
WHERE NOT EXISTS (
  SELECT 1 FROM `my-project.entraid.stg_group_owners` AS o WHERE o.group_id = g.group_id
)
