---
{
  "materialized": "view",
  "description": "The tenant's admin consent request policy (one row): whether users can ask an admin to consent to an app, and who reviews.",
  "columns": {
    "tenant_id": { "description": "Tenant id (GUID) from the connection config; not sent by Graph.", "tests": ["not_null", "unique"] },
    "is_enabled": { "description": "true when users can request admin consent." },
    "notify_reviewers": { "description": "true when reviewers get an email for each new request." },
    "reminders_enabled": { "description": "true when reviewers get reminder emails before a request expires." },
    "request_duration_in_days": { "description": "Days a request stays open before it expires." },
    "version": { "description": "Version of the policy (read-only); presumably incremented on each update (unconfirmed)." },
    "reviewers": { "description": "Who may review requests: each entry is a Graph query naming users, groups or role holders." },
    "synced_at": { "description": "When Kaivo last wrote this row." }
  }
}
---
SELECT
  tenant_id,
  is_enabled,
  notify_reviewers,
  reminders_enabled,
  request_duration_in_days,
  version,
  reviewers,
  _kaivo_synced_at AS synced_at
FROM {{source "adminconsentrequestpolicy"}}
