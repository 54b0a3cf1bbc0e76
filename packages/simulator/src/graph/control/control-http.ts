import type { ServerResponse } from "node:http";
import type { FaultRule } from "../faults/fault-rule.js";
import type { GraphObject } from "../model/graph-object.js";
import type { GraphSimulatorControl, MutableCollection, ReadableCollection } from "../types.js";

/**
 * The control API over HTTP, under /_simulator/ (a path Graph never uses). JSON in, JSON out;
 * object listings stream as NDJSON. Errors answer 400 {"error": message}.
 *
 *   GET    /_simulator/shape | counters | requests | faults | permissions | policy
 *   DELETE /_simulator/counters | faults
 *   POST   /_simulator/{users|groups|applications|servicePrincipals}            body: properties
 *   PATCH  /_simulator/{collection}/{id}                                        body: patch
 *   DELETE /_simulator/{collection}/{id}[?hard=true]
 *   POST   /_simulator/{collection}/{id}/restore
 *   POST|DELETE /_simulator/groups/{id}/{members|owners}/{memberId}
 *   POST|DELETE /_simulator/directoryRoles/{id}/members/{memberId}
 *   GET    /_simulator/objects/{collection}                                     NDJSON
 *   GET    /_simulator/groups/{id}/{members|owners}, /_simulator/directoryRoles/{id}/members
 *   POST   /_simulator/auditEvents                                              body: event
 *   POST   /_simulator/faults            body: FaultRule | FaultRule[] | {"spec": "429=0.1,…"}
 *   POST   /_simulator/latency {"ms"} | throttling (true|false|budgets) | signInActivityLicensed {"licensed"}
 *   POST   /_simulator/permissions/{revoke|grant} {"permission"}
 *   POST   /_simulator/tokens/expire | deltaTokens/expire | clientSecret {"expired"}
 *   PATCH  /_simulator/policy                                                   body: patch
 */
export function handleControlRequest(control: GraphSimulatorControl, method: string, url: URL, body: string, res: ServerResponse): number {
  try {
    return route(control, method, url, body, res);
  } catch (error) {
    return json(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}

const COLLECTIONS = new Set(["users", "groups", "applications", "servicePrincipals"]);

function route(control: GraphSimulatorControl, method: string, url: URL, body: string, res: ServerResponse): number {
  const parts = url.pathname.replace(/^\/_simulator\/?/, "").split("/").filter((p) => p.length > 0).map(decodeURIComponent);
  const input = (): unknown => (body.trim() === "" ? {} : (JSON.parse(body) as unknown));
  const object = (): GraphObject => {
    const value = input();
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("expected a JSON object body");
    return value as GraphObject;
  };
  const [a, b, c, d] = parts;
  const key = `${method} ${a ?? ""}${b === undefined ? "" : "/*"}${c === undefined ? "" : `/${c}`}${d === undefined ? "" : "/*"}`;

  switch (key) {
    case "GET shape":
      return json(res, 200, control.shape());
    case "GET counters":
      return json(res, 200, control.counters());
    case "DELETE counters":
      control.resetCounters();
      return json(res, 204, undefined);
    case "GET requests":
      return json(res, 200, control.requestLog());
    case "GET faults":
      return json(res, 200, control.faults());
    case "POST faults": {
      const value = input();
      const spec = typeof value === "object" && value !== null && "spec" in value ? (value as { spec: unknown }).spec : undefined;
      control.addFaults(typeof spec === "string" ? spec : (value as FaultRule | FaultRule[]));
      return json(res, 200, control.faults());
    }
    case "DELETE faults":
      control.clearFaults();
      return json(res, 204, undefined);
    case "GET permissions":
      return json(res, 200, control.permissions());
    case "POST permissions/*": {
      const permission = String(object()["permission"] ?? "");
      if (b === "revoke") control.revokePermission(permission);
      else if (b === "grant") control.grantPermission(permission);
      else throw new Error(`unknown permissions action "${b ?? ""}"`);
      return json(res, 200, control.permissions());
    }
    case "POST latency":
      control.setLatency(Number(object()["ms"] ?? 0));
      return json(res, 204, undefined);
    case "POST throttling":
      control.setThrottling(input() as boolean);
      return json(res, 204, undefined);
    case "POST signInActivityLicensed":
      control.setSignInActivityLicensed(object()["licensed"] === true);
      return json(res, 204, undefined);
    case "POST tokens/*":
    case "POST deltaTokens/*":
    case "POST pageTokens/*":
      if (b !== "expire") throw new Error(`unknown action "${b ?? ""}"`);
      if (a === "tokens") control.expireAccessTokens();
      else if (a === "deltaTokens") control.expireDeltaTokens();
      else control.expirePageTokens();
      return json(res, 204, undefined);
    case "POST clientSecret":
      control.setClientSecretExpired(object()["expired"] === true);
      return json(res, 204, undefined);
    case "GET policy":
      return json(res, 200, control.adminConsentRequestPolicy());
    case "PATCH policy":
      control.setAdminConsentRequestPolicy(object());
      return json(res, 200, control.adminConsentRequestPolicy());
    case "POST auditEvents":
      return json(res, 201, control.appendAuditEvent(object()));
    case "GET objects/*":
      return ndjson(res, control.objects(b as ReadableCollection));
    case "GET groups/*/members":
      return json(res, 200, control.groupMembers(b ?? ""));
    case "GET groups/*/owners":
      return json(res, 200, control.groupOwners(b ?? ""));
    case "GET directoryRoles/*/members":
      return json(res, 200, control.directoryRoleMembers(b ?? ""));
    case "POST groups/*/members/*":
      return json(res, 200, { added: control.addGroupMember(b ?? "", d ?? "") });
    case "DELETE groups/*/members/*":
      return json(res, 200, { removed: control.removeGroupMember(b ?? "", d ?? "") });
    case "POST groups/*/owners/*":
      return json(res, 200, { added: control.addGroupOwner(b ?? "", d ?? "") });
    case "DELETE groups/*/owners/*":
      return json(res, 200, { removed: control.removeGroupOwner(b ?? "", d ?? "") });
    case "POST directoryRoles/*/members/*":
      return json(res, 200, { added: control.addDirectoryRoleMember(b ?? "", d ?? "") });
    case "DELETE directoryRoles/*/members/*":
      return json(res, 200, { removed: control.removeDirectoryRoleMember(b ?? "", d ?? "") });
    default:
      break;
  }
  if (a !== undefined && COLLECTIONS.has(a) && b !== undefined && c === "restore" && d === undefined && method === "POST") {
    return json(res, 200, control.restore(a as MutableCollection, b));
  }
  if (a !== undefined && COLLECTIONS.has(a) && c === undefined) {
    const collection = a as MutableCollection;
    if (method === "POST" && b === undefined) return json(res, 201, control.create(collection, object()));
    if (method === "PATCH" && b !== undefined) return json(res, 200, { changed: control.update(collection, b, object()) });
    if (method === "DELETE" && b !== undefined) {
      control.delete(collection, b, { hard: url.searchParams.get("hard") === "true" });
      return json(res, 204, undefined);
    }
    if (method === "GET" && b !== undefined) {
      const found = control.getObject(collection, b);
      return found === undefined ? json(res, 404, { error: `no ${collection} object ${b}` }) : json(res, 200, found);
    }
  }
  return json(res, 404, { error: `unknown control route ${method} ${url.pathname}` });
}

function json(res: ServerResponse, status: number, value: unknown): number {
  if (value === undefined) {
    res.writeHead(status);
    res.end();
    return status;
  }
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
  return status;
}

function ndjson(res: ServerResponse, items: Iterable<GraphObject>): number {
  res.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8" });
  let chunk = "";
  for (const item of items) {
    chunk += `${JSON.stringify(item)}\n`;
    if (chunk.length > 65536) {
      res.write(chunk);
      chunk = "";
    }
  }
  res.end(chunk);
  return 200;
}
