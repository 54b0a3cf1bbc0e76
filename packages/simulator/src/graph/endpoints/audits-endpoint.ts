import { DIRECTORY_AUDIT_TYPE } from "../data/entity-types.js";
import { AUDIT_WINDOW_MS } from "../model/generate-audit.js";
import type { AuditCursor, AuditEntry } from "../model/audit-store.js";
import { Errors } from "../http/graph-error.js";
import { jsonResponse, type Endpoint, type EndpointEnv, type GraphRequest, type GraphResponse } from "../http/endpoint.js";
import { contextUrl, pageBody, parseSelect, parseTop, project, rejectOptions, type Selection } from "../http/odata-query.js";
import { isoTicks, normaliseIso } from "../util/time.js";
import { parseAuditFilter } from "./audit-filter.js";

// Default order and page size are undocumented (§8.7): newest first, 100 by default, 999 at most.
const DEFAULT_TOP = 100;
const MAX_TOP = 999;

interface AuditToken {
  k: "audit";
  /** The page-token generation it was minted in. */
  gen: number;
  sel: Selection | null;
  top: number;
  filter: string | null;
  desc: boolean;
  cur: AuditCursor;
}

export function auditsEndpoint(): Endpoint {
  return {
    key: "auditLogs/directoryAudits",
    method: "GET",
    permissions: [["AuditLog.Read.All"], ["Directory.Read.All", "Directory.ReadWrite.All"]],
    throttle: "audit",
    baseCost: 1,
    handle: handleAudits,
  };
}

function handleAudits(req: GraphRequest, env: EndpointEnv): GraphResponse {
  let state: Omit<AuditToken, "cur"> & { cur: AuditCursor | undefined };
  const skiptoken = req.options.get("$skiptoken");
  if (skiptoken !== undefined) {
    const token = env.codec.decode(skiptoken) as AuditToken | undefined;
    if (token === undefined || token.k !== "audit" || token.gen !== env.settings.pageTokenGeneration) throw Errors.expiredPageToken();
    state = token;
  } else {
    rejectOptions(req.options, ["$expand", "$search", "$skip"]);
    const orderby = (req.options.get("$orderby") ?? "activityDateTime desc").trim();
    const m = /^activityDateTime(?:\s+(asc|desc))?$/i.exec(orderby);
    if (!m) throw Errors.unsupportedQuery();
    state = {
      k: "audit",
      gen: env.settings.pageTokenGeneration,
      sel: parseSelect(req.options.get("$select"), DIRECTORY_AUDIT_TYPE, false) ?? null,
      top: parseTop(req.options.get("$top"), DEFAULT_TOP, MAX_TOP),
      filter: req.options.get("$filter") ?? null,
      desc: (m[1] ?? "asc").toLowerCase() === "desc",
      cur: undefined,
    };
  }
  const filter = parseAuditFilter(state.filter ?? undefined);
  // Retention (§8.7): events older than 30 days are gone from the API.
  const retention = normaliseIso(isoTicks(env.now().getTime() - AUDIT_WINDOW_MS, 0));
  if (retention !== undefined && (filter.bounds.lower === undefined || filter.bounds.lower.time < retention)) {
    filter.bounds.lower = { time: retention, inclusive: true };
  }
  const selection = state.sel ?? undefined;
  const items: string[] = [];
  let last: AuditEntry | undefined;
  let more = false;
  for (const entry of env.tenant.audits.read(filter.bounds, state.desc, state.cur)) {
    if (filter.predicates.length > 0 && !filter.predicates.every((p) => p(entry.object()))) continue;
    if (items.length >= state.top) {
      more = true;
      break;
    }
    items.push(JSON.stringify(project(entry.object(), selection, DIRECTORY_AUDIT_TYPE)));
    last = entry;
  }
  const links: Record<string, string> = {};
  if (more && last !== undefined) {
    const token: AuditToken = { ...state, cur: { time: last.time, id: last.id } };
    const visible = state.filter === null ? "" : `$filter=${encodeURIComponent(state.filter)}&`;
    links["@odata.nextLink"] = `${env.graphBaseUrl}/auditLogs/directoryAudits?${visible}$top=${state.top}&$skiptoken=${env.codec.encode(token)}`;
  }
  return jsonResponse(pageBody(contextUrl(env.graphBaseUrl, "auditLogs/directoryAudits", selection), items, links));
}
