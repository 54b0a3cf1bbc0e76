---
{
  "materialized": "view",
  "description": "Groups with no owner: nobody but an administrator can manage their membership, and nobody answers for them in an access review. Dynamic groups are listed too (flagged), since their rule still needs an owner.",
  "columns": {
    "group_id": { "description": "Group object id.", "tests": ["not_null", "unique"] },
    "display_name": { "description": "Group name." },
    "description": { "description": "Group description." },
    "security_enabled": { "description": "TRUE for a security group (grants access)." },
    "mail_enabled": { "description": "TRUE for a mail-enabled group." },
    "is_unified": { "description": "TRUE for a Microsoft 365 group." },
    "is_dynamic": { "description": "TRUE when membership comes from a rule." },
    "is_assignable_to_role": { "description": "TRUE when the group can hold directory roles (an ownerless one is a finding)." },
    "direct_member_count": { "description": "Direct members.", "tests": ["not_null"] },
    "effective_user_count": { "description": "Users in the group, directly or nested.", "tests": ["not_null"] },
    "created_date_time": { "description": "When the group was created." }
  }
}
---
WITH members AS (
  SELECT
    em.group_id,
    COUNT(CASE WHEN em.is_direct THEN 1 END) AS direct_member_count,
    COUNT(DISTINCT CASE WHEN em.member_type = 'user' THEN em.member_id END) AS effective_user_count
  FROM {{ref "group_membership_effective"}} AS em
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
FROM {{ref "stg_groups"}} AS g
LEFT JOIN members AS m ON m.group_id = g.group_id
WHERE NOT EXISTS (
  SELECT 1 FROM {{ref "stg_group_owners"}} AS o WHERE o.group_id = g.group_id
)
