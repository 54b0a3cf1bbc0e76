CREATE OR REPLACE VIEW "main"."stg_admin_consent_request_policy" AS
SELECT
  tenant_id,
  is_enabled,
  notify_reviewers,
  reminders_enabled,
  request_duration_in_days,
  version,
  reviewers,
  _kaivo_synced_at AS synced_at
FROM "main"."adminconsentrequestpolicy"
