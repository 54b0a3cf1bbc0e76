CREATE OR REPLACE VIEW `my-project.entraid.directory_audit_trail` AS
SELECT
  e.event_id,
  e.activity_date_time,
  DATE(e.activity_date_time) AS activity_date,
  e.activity_display_name,
  e.category,
  e.operation_type,
  e.result,
  e.result_reason,
  e.logged_by_service,
  e.correlation_id,
  -- Graph sends empty strings for fields it has no value for (an app's event carries ipAddress ""): read as NULL.
  CASE
    WHEN NULLIF(e.initiated_by.user.id, '') IS NOT NULL OR NULLIF(e.initiated_by.user.user_principal_name, '') IS NOT NULL THEN 'user'
    WHEN NULLIF(e.initiated_by.app.app_id, '') IS NOT NULL OR NULLIF(e.initiated_by.app.service_principal_id, '') IS NOT NULL
      OR NULLIF(e.initiated_by.app.display_name, '') IS NOT NULL THEN 'app'
    ELSE 'unknown'
  END AS actor_type,
  COALESCE(NULLIF(e.initiated_by.user.id, ''), NULLIF(e.initiated_by.app.service_principal_id, '')) AS actor_id,
  COALESCE(NULLIF(e.initiated_by.user.user_principal_name, ''), NULLIF(e.initiated_by.user.display_name, ''), NULLIF(e.initiated_by.app.display_name, ''),
    NULLIF(e.initiated_by.app.service_principal_name, '')) AS actor_name,
  NULLIF(e.initiated_by.app.app_id, '') AS actor_app_id,
  NULLIF(e.initiated_by.user.ip_address, '') AS actor_ip_address,
  target_index,
  target.id AS target_id,
  target.type AS target_type,
  target.display_name AS target_display_name,
  target.user_principal_name AS target_user_principal_name,
  property_index,
  prop.display_name AS property_name,
  prop.old_value,
  prop.new_value,
  COALESCE(
    JSON_VALUE(SAFE.PARSE_JSON(prop.old_value), '$'),
    CASE WHEN JSON_VALUE(SAFE.PARSE_JSON(prop.old_value), '$[1]') IS NULL THEN JSON_VALUE(SAFE.PARSE_JSON(prop.old_value), '$[0]') END,
    prop.old_value
  ) AS old_value_text,
  COALESCE(
    JSON_VALUE(SAFE.PARSE_JSON(prop.new_value), '$'),
    CASE WHEN JSON_VALUE(SAFE.PARSE_JSON(prop.new_value), '$[1]') IS NULL THEN JSON_VALUE(SAFE.PARSE_JSON(prop.new_value), '$[0]') END,
    prop.new_value
  ) AS new_value_text
FROM `my-project.entraid.stg_directory_audits` AS e
LEFT JOIN UNNEST(e.target_resources) AS target WITH OFFSET AS target_index ON TRUE
LEFT JOIN UNNEST(target.modified_properties) AS prop WITH OFFSET AS property_index ON TRUE
