/**
 * A tiny HTTPS server for the Graph client tests: the login endpoints a simulator serves
 * (openid-configuration, token) plus scripted Graph responses, on 127.0.0.1 with a fresh
 * self-signed certificate.
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";

export interface RecordedRequest {
  method: string;
  /** The request-target exactly as it arrived on the request line. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface GraphCall {
  req: IncomingMessage;
  res: ServerResponse;
  body: string;
  /** The bearer token the client sent. */
  token: string | undefined;
}

export type GraphHandler = (call: GraphCall) => void;

export interface TestServerOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Tokens handed out in order; the last one repeats. Default token-1, token-2, … without end. */
  tokens?: string[];
}

export interface TestServer {
  origin: string;
  host: string;
  caPem: string;
  loginBaseUrl: string;
  graphBaseUrl: string;
  /** Every request the server received, in order. */
  requests: RecordedRequest[];
  /** Requests to the token endpoint. */
  tokenRequests(): RecordedRequest[];
  /** Requests to /v1.0. */
  graphRequests(): RecordedRequest[];
  /** Queues handlers for the next Graph requests (one each). */
  enqueue(...handlers: GraphHandler[]): void;
  /** Makes the next `count` token requests fail with this status (and optional Retry-After). */
  failTokenRequests(count: number, status: number, retryAfter?: string): void;
  /** Forgets recorded requests and unused handlers, and numbers tokens from token-1 again. */
  reset(): void;
  close(): Promise<void>;
}

let certificate: Promise<{ cert: string; key: string }> | undefined;

/** One certificate per test file (generation takes a moment). */
function testCertificate(): Promise<{ cert: string; key: string }> {
  certificate ??= generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return certificate;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function graphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { error: { code, message, innerError: { "request-id": `req-${status}`, date: "2025-01-01T00:00:00" } } }, headers);
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const { cert, key } = await testCertificate();
  const requests: RecordedRequest[] = [];
  const queue: GraphHandler[] = [];
  const tokens = options.tokens;
  let issued = 0;
  let tokenFailures: { count: number; status: number; retryAfter: string | undefined } = { count: 0, status: 503, retryAfter: undefined };
  let origin = "";

  const openidConfig = (tenant: string) => ({
    token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
    authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
    jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
    issuer: `${origin}/${tenant}/v2.0`,
    response_types_supported: ["code", "id_token", "token"],
  });

  const server: Server = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = req.url ?? "/";
      requests.push({ method: req.method ?? "GET", url, headers: req.headers, body });
      const path = url.split("?")[0] ?? "/";

      const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
      if (req.method === "GET" && oidc) return json(res, 200, openidConfig(oidc[1]!));

      if (req.method === "POST" && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path)) {
        if (tokenFailures.count > 0) {
          tokenFailures.count--;
          return json(res, tokenFailures.status, {
            error: "temporarily_unavailable", error_description: "AADSTS90033: A transient error has occurred. Please try again.",
            error_codes: [90033], timestamp: "2025-01-01 00:00:00Z", trace_id: "0000", correlation_id: "1111",
          }, tokenFailures.retryAfter === undefined ? {} : { "retry-after": tokenFailures.retryAfter });
        }
        const form = new URLSearchParams(body);
        if (form.get("client_id") !== options.clientId || form.get("client_secret") !== options.clientSecret) {
          return json(res, 401, {
            error: "invalid_client",
            error_description:
              `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${options.clientId}'.\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2025-01-01 00:00:00Z`,
            error_codes: [7000215],
            timestamp: "2025-01-01 00:00:00Z",
            trace_id: "0000",
            correlation_id: "1111",
          });
        }
        const token = tokens ? tokens[Math.min(issued, tokens.length - 1)]! : `token-${issued + 1}`;
        issued++;
        return json(res, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token });
      }

      if (path.startsWith("/v1.0/") || path === "/v1.0") {
        const handler = queue.shift();
        const auth = req.headers.authorization;
        const token = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
        if (!handler) return graphError(res, 500, "unexpected", `no scripted response for ${url}`);
        return handler({ req, res, body, token });
      }
      json(res, 404, { error: "not_found" });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  origin = `https://${host}`;

  return {
    origin,
    host,
    caPem: cert,
    loginBaseUrl: origin,
    graphBaseUrl: `${origin}/v1.0`,
    requests,
    tokenRequests: () => requests.filter((r) => r.url.includes("/oauth2/v2.0/token")),
    graphRequests: () => requests.filter((r) => r.url.startsWith("/v1.0")),
    enqueue: (...handlers) => queue.push(...handlers),
    failTokenRequests: (count, status, retryAfter) => {
      tokenFailures = { count, status, retryAfter };
    },
    reset: () => {
      issued = 0;
      requests.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
