import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { FaultKind, FaultRule } from "../faults/fault-rule.js";
import type { SimulatorRuntime } from "../runtime.js";
import type { Endpoint, GraphRequest, GraphResponse } from "./endpoint.js";
import { Errors, GraphError, graphErrorBody } from "./graph-error.js";
import { readQueryOptions } from "./odata-query.js";
import { responseCacheKey } from "./response-cache.js";
import { send, type SendMode } from "./send.js";

const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

export interface HandledRequest {
  endpoint: string;
  status: number;
  fault: string | undefined;
  requestId: string;
}

/**
 * Serves one request under /v1.0: route, faults, auth, throttling, permissions, then the endpoint.
 * Every answer carries request-id and client-request-id, errors are Graph-shaped.
 */
export async function handleGraphRequest(
  rt: SimulatorRuntime,
  routes: Map<string, Endpoint>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
): Promise<HandledRequest> {
  const requestId = randomUUID();
  const clientRequestId = headerText(req.headers["client-request-id"]) ?? requestId;
  const baseHeaders: Record<string, string> = {
    "request-id": requestId,
    "client-request-id": clientRequestId,
    "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Kaivo Simulator", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "SIM0" } }),
    "strict-transport-security": "max-age=31536000",
  };
  const key = url.pathname.replace(/^\/v1\.0\/?/i, "").replace(/\/+$/, "");
  const endpoint = routes.get(key.toLowerCase());
  const answer = (response: GraphResponse, mode: SendMode = "normal", fault?: string): HandledRequest => {
    send(res, response.status, { ...baseHeaders, ...response.headers }, response.body, mode);
    return { endpoint: endpoint?.key ?? "unknown", status: response.status, fault, requestId };
  };
  const fail = (error: GraphError, fault?: string): HandledRequest =>
    answer(
      { status: error.status, headers: { "content-type": "application/json", ...error.headers }, body: graphErrorBody(error.code, error.message, requestId, clientRequestId, rt.env.now()) },
      "normal",
      fault,
    );

  if (endpoint === undefined) {
    const segment = key.split("/").find((s) => s.length > 0) ?? "";
    return fail(Errors.segment(segment === "" ? "v1.0" : segment));
  }
  if (req.method !== endpoint.method) return fail(Errors.methodNotAllowed());

  const options = readQueryOptions(url);
  const carriesDeltaToken =
    endpoint.key.endsWith("/delta") &&
    (options.has("$skiptoken") || (options.has("$deltatoken") && options.get("$deltatoken") !== "" && options.get("$deltatoken") !== "latest"));
  const decision = rt.faults.decide(endpoint.key, (kind: FaultKind) => kind !== "deltaExpired" || carriesDeltaToken);
  const latency = rt.latencyMs + decision.latencyMs;
  if (latency > 0) await sleep(latency);
  const fault: FaultRule | undefined = decision.fault;
  const auth = rt.tokens.check(headerText(req.headers["authorization"]));

  if (fault !== undefined) {
    const early = faultError(fault, auth.token, rt);
    if (early !== undefined) return fail(early, fault.kind);
  }
  if (auth.result !== "valid") {
    const message =
      auth.result === "missing" ? "Access token is empty."
      : auth.result === "expired" ? "Access token has expired or is not yet valid."
      : "IDX14100: JWT is not well formed, there are no dots (.).";
    return fail(new GraphError(401, "InvalidAuthenticationToken", message, { "www-authenticate": WWW_AUTHENTICATE }));
  }

  const throttleClass = endpoint.throttleOf?.(options) ?? endpoint.throttle;
  const cost = throttleClass === "identity" ? resourceUnits(endpoint, options) : 1;
  const throttle = rt.throttler.check(throttleClass, cost);
  if (!throttle.ok) {
    return fail(
      new GraphError(429, "TooManyRequests", "Please retry again later.", {
        "retry-after": formatSeconds(throttle.retryAfterSeconds),
        "x-ms-throttle-scope": throttle.scope,
        "x-ms-throttle-information": throttle.information,
        ...(throttleClass === "identity" ? { "x-ms-resource-unit": String(cost) } : {}),
      }),
    );
  }
  const extraHeaders: Record<string, string> = {};
  if (throttleClass === "identity") extraHeaders["x-ms-resource-unit"] = String(cost);
  if (throttle.usedFraction > 0.8) extraHeaders["x-ms-throttle-limit-percentage"] = throttle.usedFraction.toFixed(1);

  for (const anyOf of endpoint.permissions) {
    if (!anyOf.some((p) => rt.env.settings.permissions.has(p))) return fail(Errors.denied());
  }

  const graphRequest: GraphRequest = {
    method: req.method ?? "GET",
    url,
    options,
    headers: req.headers,
    body,
    requestId,
    clientRequestId,
    forceDeltaExpired: fault?.kind === "deltaExpired",
  };
  // A forced expiry must reach the endpoint; every other answer depends only on the request and the tenant.
  const cacheKey = graphRequest.forceDeltaExpired ? undefined : responseCacheKey(graphRequest.method, url, body, headerText(req.headers["consistencylevel"]));
  const now = rt.env.now().getTime();
  let response: GraphResponse;
  try {
    const cached = cacheKey === undefined ? undefined : rt.responses.get(cacheKey, now);
    response = cached ?? endpoint.handle(graphRequest, rt.env);
    if (cached === undefined && cacheKey !== undefined) rt.responses.put(cacheKey, now, response);
  } catch (error) {
    if (error instanceof GraphError) return fail(error, fault?.kind);
    const message = error instanceof Error ? error.message : String(error);
    return fail(new GraphError(500, "generalException", `Simulator error: ${message}`));
  }
  response = { ...response, headers: { ...response.headers, ...extraHeaders } };
  if (fault?.kind === "reset") return answer(response, "reset", "reset");
  if (fault?.kind === "truncate") return answer(response, "truncate", "truncate");
  return answer(response, "normal", fault?.kind);
}

/** The error a fault answers with before the endpoint runs, or undefined for body-level faults. */
function faultError(fault: FaultRule, token: string | undefined, rt: SimulatorRuntime): GraphError | undefined {
  switch (fault.kind) {
    case "429":
      return new GraphError(429, "TooManyRequests", "Please retry again later.", { "retry-after": formatSeconds(fault.retryAfterSeconds ?? 1.5) });
    case "500":
      return new GraphError(500, "generalException", "General exception while processing.");
    case "503":
      return new GraphError(
        503,
        "serviceNotAvailable",
        "The service is temporarily unavailable. Please retry later.",
        fault.retryAfterSeconds === undefined ? {} : { "retry-after": formatSeconds(fault.retryAfterSeconds) },
      );
    case "504":
      return new GraphError(504, "gatewayTimeout", "The gateway did not receive a timely response from the upstream server.");
    case "401":
      if (token !== undefined) rt.tokens.expire(token);
      return new GraphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", { "www-authenticate": WWW_AUTHENTICATE });
    case "403":
      return Errors.denied();
    default:
      return undefined;
  }
}

/** §6 costs: base per endpoint, $select −1, $top < 20 −1, minimum 1. */
function resourceUnits(endpoint: Endpoint, options: Map<string, string>): number {
  let cost = endpoint.baseCost;
  if (options.has("$select")) cost -= 1;
  const top = Number(options.get("$top"));
  if (Number.isFinite(top) && top > 0 && top < 20) cost -= 1;
  return Math.max(1, cost);
}

/** Seconds with up to three decimals: "2.128", "0.5", "3". */
export function formatSeconds(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

