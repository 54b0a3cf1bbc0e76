import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { jwks, openIdConfiguration, tokenEndpoint, aadError, type LoginConfig, type LoginResponse } from "../auth/login-endpoints.js";
import { handleControlRequest } from "../control/control-http.js";
import type { SimulatorRuntime } from "../runtime.js";
import type { GraphSimulatorControl } from "../types.js";
import type { Endpoint } from "./endpoint.js";
import { formatSeconds, handleGraphRequest } from "./graph-handler.js";
import { send } from "./send.js";

export interface ServerParts {
  rt: SimulatorRuntime;
  routes: Map<string, Endpoint>;
  login: LoginConfig;
  control: GraphSimulatorControl;
  key: string;
  cert: string;
}

/** The HTTPS server: login endpoints, Graph under /v1.0, the control API under /_simulator. */
export function createSimulatorServer(parts: ServerParts): Server {
  const server = createServer({ key: parts.key, cert: parts.cert, keepAlive: true }, (req, res) => {
    void dispatch(parts, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { "content-type": "application/json" }, JSON.stringify({ error: { code: "generalException", message: String(error) } }));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

async function dispatch(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const url = new URL(req.url ?? "/", parts.login.authorityHost);
  const body = req.method === "GET" || req.method === "HEAD" ? await drain(req) : await readBody(req);
  const path = url.pathname;
  const record = (endpoint: string, status: number, requestId: string, fault?: string): void => {
    parts.rt.recorder.record({
      time: parts.rt.env.now().toISOString(),
      method: req.method ?? "GET",
      url: `${url.pathname}${url.search}`,
      endpoint,
      status,
      ...(fault === undefined ? {} : { fault }),
      requestId,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  };

  if (path === "/v1.0" || path.startsWith("/v1.0/")) {
    const handled = await handleGraphRequest(parts.rt, parts.routes, req, res, url, body);
    record(handled.endpoint, handled.status, handled.requestId, handled.fault);
    return;
  }
  if (path.startsWith("/_simulator")) {
    const status = handleControlRequest(parts.control, req.method ?? "GET", url, body, res);
    record("control", status, "");
    return;
  }
  const segments = path.split("/").filter((s) => s.length > 0);
  const tenant = decodeURIComponent(segments[0] ?? "");
  const rest = segments.slice(1).join("/").toLowerCase();
  let response: LoginResponse | undefined;
  let endpoint = "unknown";
  let fault: string | undefined;
  if (rest === "oauth2/v2.0/token" && req.method === "POST") {
    endpoint = "token";
    const decision = parts.rt.faults.decide("token", (kind) => kind === "latency" || kind === "429" || kind === "503" || kind === "500" || kind === "504");
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.fault !== undefined) {
      fault = decision.fault.kind;
      const status = Number(decision.fault.kind);
      // AADSTS90033: the transient error the token service answers under load (MSAL remembers it, §2.4).
      response = aadError(parts.login, status, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again.");
      if (decision.fault.retryAfterSeconds !== undefined || status === 429) {
        response.headers["retry-after"] = formatSeconds(decision.fault.retryAfterSeconds ?? 1.5);
      }
    } else {
      response = tokenEndpoint(parts.login, tenant, req.headers, body);
    }
  } else if (rest === "v2.0/.well-known/openid-configuration" && req.method === "GET") {
    endpoint = "openid-configuration";
    response = openIdConfiguration(parts.login, tenant);
  } else if (rest === "discovery/v2.0/keys") {
    endpoint = "jwks";
    response = jwks();
  } else if (tenant === "common" && rest === "discovery/instance") {
    endpoint = "instance-discovery";
    response = instanceDiscovery(parts.login.authorityHost, url);
  }
  const requestId = randomUUID();
  if (response === undefined) {
    response = { status: 404, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: "not_found", error_description: `No simulator route for ${req.method ?? "GET"} ${path}` }) };
  }
  send(res, response.status, { "x-ms-request-id": requestId, ...response.headers }, response.body);
  record(endpoint, response.status, requestId, fault);
}

/** GET /common/discovery/instance (MSAL asks when the authority is not in knownAuthorities). */
function instanceDiscovery(authorityHost: string, url: URL): LoginResponse {
  const host = new URL(authorityHost).host;
  const endpoint = url.searchParams.get("authorization_endpoint") ?? `${authorityHost}/common/oauth2/v2.0/authorize`;
  const tenantPath = new URL(endpoint).pathname.split("/")[1] ?? "common";
  const body = {
    tenant_discovery_endpoint: `${authorityHost}/${tenantPath}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function drain(req: IncomingMessage): Promise<string> {
  if (req.complete) return Promise.resolve("");
  return new Promise((resolve) => {
    req.resume();
    req.on("end", () => resolve(""));
    req.on("error", () => resolve(""));
  });
}
