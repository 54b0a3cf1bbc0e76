---
{
  "materialized": "view",
  "description": "Directory audit events per UTC day, category and result, with how many distinct actors and activities took part. Answers \"how much changed each day, and how much of it failed?\".",
  "columns": {
    "activity_date": { "description": "UTC date.", "tests": ["not_null"] },
    "category": { "description": "Audit category, e.g. GroupManagement." },
    "result": { "description": "success, failure, timeout or unknownFutureValue." },
    "event_count": { "description": "Events on that day in that category with that result.", "tests": ["not_null"] },
    "user_actor_count": { "description": "Distinct users who acted.", "tests": ["not_null"] },
    "app_actor_count": { "description": "Distinct apps (service principals) that acted.", "tests": ["not_null"] },
    "activity_count": { "description": "Distinct activity names.", "tests": ["not_null"] },
    "first_activity_date_time": { "description": "Earliest event of the group." },
    "last_activity_date_time": { "description": "Latest event of the group." }
  },
  "tests": [
    { "unique": { "columns": ["activity_date", "category", "result"] } }
  ]
}
---
SELECT
  {{dateOf "e.activity_date_time"}} AS activity_date,
  e.category,
  e.result,
  COUNT(*) AS event_count,
  COUNT(DISTINCT NULLIF(e.initiated_by.user.id, '')) AS user_actor_count,
  COUNT(DISTINCT COALESCE(NULLIF(e.initiated_by.app.service_principal_id, ''), NULLIF(e.initiated_by.app.app_id, ''))) AS app_actor_count,
  COUNT(DISTINCT e.activity_display_name) AS activity_count,
  MIN(e.activity_date_time) AS first_activity_date_time,
  MAX(e.activity_date_time) AS last_activity_date_time
FROM {{ref "stg_directory_audits"}} AS e
WHERE e.activity_date_time IS NOT NULL
GROUP BY {{dateOf "e.activity_date_time"}}, e.category, e.result
