CREATE OR REPLACE VIEW `my-project.entraid.group_membership_effective` AS
WITH RECURSIVE
edges AS (
  SELECT gm.group_id, g.display_name AS group_display_name, gm.member_id, gm.member_type
  FROM `my-project.entraid.stg_group_members` AS gm
  INNER JOIN `my-project.entraid.stg_groups` AS g ON g.group_id = gm.group_id
),
closure AS (
  SELECT
    e.group_id,
    e.member_id,
    e.member_type,
    1 AS depth,
    e.group_id AS path_ids,
    COALESCE(e.group_display_name, e.group_id) AS path
  FROM edges AS e
  UNION ALL
  -- Step down one level: the member reached so far is itself a group with members.
  SELECT
    c.group_id,
    e.member_id,
    e.member_type,
    c.depth + 1,
    CONCAT(c.path_ids, ' > ', e.group_id),
    CONCAT(c.path, ' > ', COALESCE(e.group_display_name, e.group_id))
  FROM closure AS c
  INNER JOIN edges AS e ON e.group_id = c.member_id
  -- Stop at a group already on the path (Entra refuses circular nesting; a partial sync may not) and at a sane depth.
  -- A group in a cycle is never listed as its own member.
  WHERE STRPOS(CONCAT(' > ', c.path_ids, ' > '), CONCAT(' > ', e.group_id, ' > ')) = 0
    AND e.member_id <> c.group_id
    AND c.depth < 64
),
ranked AS (
  SELECT
    c.*,
    ROW_NUMBER() OVER (PARTITION BY c.group_id, c.member_id ORDER BY c.depth, c.path_ids) AS path_rank,
    COUNT(*) OVER (PARTITION BY c.group_id, c.member_id) AS path_count
  FROM closure AS c
)
SELECT
  r.group_id,
  g.display_name AS group_display_name,
  r.member_id,
  COALESCE(
    r.member_type,
    CASE
      WHEN u.user_id IS NOT NULL THEN 'user'
      WHEN mg.group_id IS NOT NULL THEN 'group'
      WHEN sp.service_principal_id IS NOT NULL THEN 'servicePrincipal'
    END
  ) AS member_type,
  COALESCE(u.display_name, mg.display_name, sp.display_name) AS member_display_name,
  u.user_principal_name AS member_user_principal_name,
  r.depth = 1 AS is_direct,
  r.depth,
  r.path,
  r.path_ids,
  r.path_count
FROM ranked AS r
INNER JOIN `my-project.entraid.stg_groups` AS g ON g.group_id = r.group_id
LEFT JOIN `my-project.entraid.stg_users` AS u ON u.user_id = r.member_id
LEFT JOIN `my-project.entraid.stg_groups` AS mg ON mg.group_id = r.member_id
LEFT JOIN `my-project.entraid.stg_service_principals` AS sp ON sp.service_principal_id = r.member_id
WHERE r.path_rank = 1
