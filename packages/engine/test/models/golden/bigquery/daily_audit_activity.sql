CREATE OR REPLACE VIEW `my-project.entraid.daily_audit_activity` AS
SELECT
  DATE(e.activity_date_time) AS activity_date,
  e.category,
  e.result,
  COUNT(*) AS event_count,
  COUNT(DISTINCT NULLIF(e.initiated_by.user.id, '')) AS user_actor_count,
  COUNT(DISTINCT COALESCE(NULLIF(e.initiated_by.app.service_principal_id, ''), NULLIF(e.initiated_by.app.app_id, ''))) AS app_actor_count,
  COUNT(DISTINCT e.activity_display_name) AS activity_count,
  MIN(e.activity_date_time) AS first_activity_date_time,
  MAX(e.activity_date_time) AS last_activity_date_time
FROM `my-project.entraid.stg_directory_audits` AS e
WHERE e.activity_date_time IS NOT NULL
GROUP BY DATE(e.activity_date_time), e.category, e.result
