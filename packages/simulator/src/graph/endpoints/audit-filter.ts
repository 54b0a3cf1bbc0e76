import type { AuditTimeBounds } from "../model/audit-store.js";
import type { GraphObject } from "../model/graph-object.js";
import { Errors } from "../http/graph-error.js";
import { normaliseIso } from "../util/time.js";

/** A parsed directoryAudits $filter: time bounds plus other predicates. */
export interface AuditFilter {
  bounds: AuditTimeBounds;
  predicates: ((event: GraphObject) => boolean)[];
}

const EQ_FIELDS = new Set(["activityDisplayName", "category", "correlationId", "loggedByService", "result", "operationType", "id"]);

/**
 * Supports the documented subset (§8.7): activityDateTime eq/ge/le (gt/lt too) with unquoted
 * timestamps, eq on the simple string fields, startswith(activityDisplayName,'…'),
 * initiatedBy/user/id|displayName|userPrincipalName eq, initiatedBy/app/appId|displayName eq, and
 * targetResources/any(t: t/id eq '…'), joined by `and`.
 */
export function parseAuditFilter(text: string | undefined): AuditFilter {
  const filter: AuditFilter = { bounds: {}, predicates: [] };
  if (text === undefined || text.trim() === "") return filter;
  for (const clause of splitAnd(text)) applyClause(filter, clause.trim());
  return filter;
}

function splitAnd(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")") depth--;
    else if (!quoted && depth === 0 && /^\s+and\s+/i.test(text.slice(i))) {
      const m = /^\s+and\s+/i.exec(text.slice(i));
      parts.push(text.slice(start, i));
      i += (m?.[0].length ?? 1) - 1;
      start = i + 1;
    } else if (!quoted && depth === 0 && /^\s+or\s+/i.test(text.slice(i))) {
      throw Errors.unsupportedQuery();
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function applyClause(filter: AuditFilter, clause: string): void {
  let m = /^activityDateTime\s+(eq|ge|le|gt|lt)\s+'?([0-9T:.\-+Z]+)'?$/i.exec(clause);
  if (m) {
    const time = normaliseIso(m[2] ?? "");
    if (time === undefined) throw Errors.badRequest(`Invalid filter clause: '${clause}'.`);
    const op = (m[1] ?? "").toLowerCase();
    if (op === "eq" || op === "ge" || op === "gt") tighten(filter.bounds, "lower", time, op !== "gt");
    if (op === "eq" || op === "le" || op === "lt") tighten(filter.bounds, "upper", time, op !== "lt");
    return;
  }
  m = /^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(clause);
  if (m && EQ_FIELDS.has(m[1] ?? "")) {
    const field = m[1] ?? "";
    const value = (m[2] ?? "").replace(/''/g, "'");
    filter.predicates.push((e) => e[field] === value);
    return;
  }
  m = /^startswith\(\s*activityDisplayName\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
  if (m) {
    const prefix = (m[1] ?? "").replace(/''/g, "'").toLowerCase();
    filter.predicates.push((e) => String(e["activityDisplayName"] ?? "").toLowerCase().startsWith(prefix));
    return;
  }
  m = /^initiatedBy\/(user|app)\/(\w+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(clause);
  if (m) {
    const who = m[1] ?? "";
    const field = m[2] ?? "";
    const value = (m[3] ?? "").replace(/''/g, "'");
    filter.predicates.push((e) => {
      const actor = (e["initiatedBy"] as Record<string, Record<string, unknown> | null> | undefined)?.[who];
      return actor != null && actor[field] === value;
    });
    return;
  }
  m = /^targetResources\/any\(\s*(\w+)\s*:\s*\1\/id\s+eq\s+'([^']*)'\s*\)$/i.exec(clause);
  if (m) {
    const id = m[2] ?? "";
    filter.predicates.push((e) => Array.isArray(e["targetResources"]) && (e["targetResources"] as { id?: unknown }[]).some((t) => t.id === id));
    return;
  }
  throw Errors.unsupportedQuery();
}

function tighten(bounds: AuditTimeBounds, side: "lower" | "upper", time: string, inclusive: boolean): void {
  const current = bounds[side];
  if (current === undefined) {
    bounds[side] = { time, inclusive };
    return;
  }
  const tighter = side === "lower" ? time > current.time || (time === current.time && !inclusive) : time < current.time || (time === current.time && !inclusive);
  if (tighter) bounds[side] = { time, inclusive };
}
