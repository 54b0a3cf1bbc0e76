CREATE OR REPLACE VIEW "main"."directory_audit_trail" AS
SELECT
  e.event_id,
  e.activity_date_time,
  CAST(timezone('UTC', e.activity_date_time) AS DATE) AS activity_date,
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
    (CASE WHEN json_valid(prop.old_value) AND json_type(prop.old_value, '$') NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(prop.old_value, '$') END),
    CASE WHEN (CASE WHEN json_valid(prop.old_value) AND json_type(prop.old_value, '$[1]') NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(prop.old_value, '$[1]') END) IS NULL THEN (CASE WHEN json_valid(prop.old_value) AND json_type(prop.old_value, '$[0]') NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(prop.old_value, '$[0]') END) END,
    prop.old_value
  ) AS old_value_text,
  COALESCE(
    (CASE WHEN json_valid(prop.new_value) AND json_type(prop.new_value, '$') NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(prop.new_value, '$') END),
    CASE WHEN (CASE WHEN json_valid(prop.new_value) AND json_type(prop.new_value, '$[1]') NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(prop.new_value, '$[1]') END) IS NULL THEN (CASE WHEN json_valid(prop.new_value) AND json_type(prop.new_value, '$[0]') NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(prop.new_value, '$[0]') END) END,
    prop.new_value
  ) AS new_value_text
FROM "main"."stg_directory_audits" AS e
LEFT JOIN (SELECT UNNEST(e.target_resources) AS target, generate_subscripts(e.target_resources, 1) - 1 AS target_index) AS _unnest_target ON TRUE
LEFT JOIN (SELECT UNNEST(target.modified_properties) AS prop, generate_subscripts(target.modified_properties, 1) - 1 AS property_index) AS _unnest_prop ON TRUE
