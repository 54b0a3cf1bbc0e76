CREATE OR REPLACE VIEW "main"."group_membership_effective" AS
WITH RECURSIVE
edges AS (
  SELECT gm.group_id, g.display_name AS group_display_name, gm.member_id, gm.member_type
  FROM "main"."stg_group_members" AS gm
  INNER JOIN "main"."stg_groups" AS g ON g.group_id = gm.group_id
),
parents AS (
  SELECT DISTINCT group_id, group_display_name FROM edges
),
-- Group-in-group edges to a group with members of its own: the only edges a path goes on through.
nesting AS (
  SELECT e.group_id, e.member_id, p.group_display_name AS member_display_name
  FROM edges AS e
  INNER JOIN parents AS p ON p.group_id = e.member_id
),
-- Every path of nested groups down from each group (the group itself at depth 0). Only groups are
-- walked: the members are joined once per (group, nested group) below, never once per path.
group_paths AS (
  SELECT
    p.group_id AS ancestor_id,
    p.group_id AS descendant_id,
    0 AS depth,
    p.group_id AS path_ids,
    COALESCE(p.group_display_name, p.group_id) AS path
  FROM parents AS p
  UNION ALL
  SELECT
    gp.ancestor_id,
    n.member_id,
    gp.depth + 1,
    CONCAT(gp.path_ids, ' > ', n.member_id),
    CONCAT(gp.path, ' > ', COALESCE(n.member_display_name, n.member_id))
  FROM group_paths AS gp
  INNER JOIN nesting AS n ON n.group_id = gp.descendant_id
  -- Stop at a group already on the path (Entra refuses circular nesting; a partial sync may not).
  WHERE STRPOS(CONCAT(' > ', gp.path_ids, ' > '), CONCAT(' > ', n.member_id, ' > ')) = 0
),
-- Per (group, nested group): how many paths lead there, and the shortest (first by ids among equals).
nested_groups AS (
  SELECT ancestor_id, descendant_id, depth, path_ids, path, path_count
  FROM (
    SELECT
      gp.*,
      ROW_NUMBER() OVER (PARTITION BY gp.ancestor_id, gp.descendant_id ORDER BY gp.depth, gp.path_ids) AS path_rank,
      COUNT(*) OVER (PARTITION BY gp.ancestor_id, gp.descendant_id) AS path_count
    FROM group_paths AS gp
  ) AS ranked_paths
  WHERE path_rank = 1
),
-- A member of a nested group is a member through each path to that group; a group in a cycle is
-- never listed as its own member.
ranked AS (
  SELECT
    ng.ancestor_id AS group_id,
    e.member_id,
    e.member_type,
    ng.depth + 1 AS depth,
    ng.path_ids,
    ng.path,
    ROW_NUMBER() OVER (PARTITION BY ng.ancestor_id, e.member_id ORDER BY ng.depth, ng.path_ids) AS path_rank,
    CAST(SUM(ng.path_count) OVER (PARTITION BY ng.ancestor_id, e.member_id) AS BIGINT) AS path_count
  FROM nested_groups AS ng
  INNER JOIN edges AS e ON e.group_id = ng.descendant_id
  WHERE e.member_id <> ng.ancestor_id
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
INNER JOIN "main"."stg_groups" AS g ON g.group_id = r.group_id
LEFT JOIN "main"."stg_users" AS u ON u.user_id = r.member_id
LEFT JOIN "main"."stg_groups" AS mg ON mg.group_id = r.member_id
LEFT JOIN "main"."stg_service_principals" AS sp ON sp.service_principal_id = r.member_id
WHERE r.path_rank = 1
