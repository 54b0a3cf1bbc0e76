---
{
  "materialized": "view",
  "description": "Last sign-in times per user, flattened from user_sign_in_activity. That table is optional (it needs AuditLog.Read.All and a P1/P2 tenant): when it is not synced this view exists with the same columns and no rows, so every model downstream still builds and reports sign-in status as unknown.",
  "columns": {
    "user_id": { "description": "User object id; joins to stg_users.user_id.", "tests": ["not_null", "unique"] },
    "last_sign_in_date_time": { "description": "Last interactive sign-in attempt, successful or not; NULL when never." },
    "last_non_interactive_sign_in_date_time": { "description": "Last non-interactive sign-in (a client refreshing a token for the user); NULL when never." },
    "last_successful_sign_in_date_time": { "description": "Last successful sign-in, interactive or not (recorded by Graph since December 2023); NULL when none." },
    "last_activity_date_time": { "description": "The later of the interactive and non-interactive sign-in; NULL when the user never signed in." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  }
}
---
{{#if (sourceExists "user_sign_in_activity")}}
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
  FROM {{source "user_sign_in_activity"}} AS s
) AS sign_ins
{{else}}
-- user_sign_in_activity is not synced: same columns, no rows.
SELECT
  {{cast "NULL" "string"}} AS user_id,
  {{cast "NULL" "timestamp"}} AS last_sign_in_date_time,
  {{cast "NULL" "timestamp"}} AS last_non_interactive_sign_in_date_time,
  {{cast "NULL" "timestamp"}} AS last_successful_sign_in_date_time,
  {{cast "NULL" "timestamp"}} AS last_activity_date_time,
  {{cast "NULL" "timestamp"}} AS synced_at
LIMIT 0
{{/if}}
