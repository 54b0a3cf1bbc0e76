CREATE OR REPLACE VIEW "main"."stg_user_sign_in_activity" AS
SELECT
  user_id,
  last_sign_in_date_time,
  last_non_interactive_sign_in_date_time,
  last_successful_sign_in_date_time,
  -- GREATEST is NULL-propagating in BigQuery but not in DuckDB; spell the NULL handling out.
  CASE
    WHEN last_sign_in_date_time IS NULL THEN last_non_interactive_sign_in_date_time
    WHEN last_non_interactive_sign_in_date_time IS NULL THEN last_sign_in_date_time
    WHEN last_sign_in_date_time >= last_non_interactive_sign_in_date_time THEN last_sign_in_date_time
    ELSE last_non_interactive_sign_in_date_time
  END AS last_activity_date_time,
  synced_at
FROM (
  SELECT
    s.id AS user_id,
    s.sign_in_activity.last_sign_in_date_time AS last_sign_in_date_time,
    s.sign_in_activity.last_non_interactive_sign_in_date_time AS last_non_interactive_sign_in_date_time,
    s.sign_in_activity.last_successful_sign_in_date_time AS last_successful_sign_in_date_time,
    s._kaivo_synced_at AS synced_at
  FROM "main"."user_sign_in_activity" AS s
) AS sign_ins
