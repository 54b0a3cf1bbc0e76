import { afterAll, beforeAll, expect, test } from "vitest";
import type { ServerResponse } from "node:http";
import { GraphClient } from "../../src/graph/graph-client.js";
import type { GraphEvent } from "../../src/graph/graph-events.js";
import { RequestBudget } from "../../src/graph/request-budget.js";
import { graphError, json, startTestServer, type GraphCall, type TestServer } from "./test-server.js";

const tenantId = "11111111-2222-3333-4444-555555555555";
const clientId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const SECRET = "KAIVO~CANARY.secret+7f3a9/Q=";
const TOKEN = "eyKAIVO-CANARY-TOKEN.c2VjcmV0.c2ln";
const WRONG_SECRET = "KAIVO~CANARY.wrong+secret=";
const CANARIES = [SECRET, TOKEN, WRONG_SECRET, encodeURIComponent(SECRET), encodeURIComponent(WRONG_SECRET), "CANARY"];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ tenantId, clientId, clientSecret: SECRET, tokens: [TOKEN] });
});
afterAll(async () => {
  await server.close();
});

/** A hostile Graph that quotes the request's Authorization header back in its error messages. */
const echo = (status: number, code: string, headers: Record<string, string> = {}) => ({ req, res }: GraphCall) =>
  graphError(res, status, code, `You sent ${req.headers.authorization} (token ${req.headers.authorization?.slice(7)})`, headers);

/** A proxy that puts the token in every other field of the error: its code, the request id, the throttling header. */
const echoEverywhere = (status: number, headers: Record<string, string> = {}) => ({ req, res }: GraphCall) => {
  const token = req.headers.authorization?.slice(7) ?? "";
  const body = { error: { code: `Bad_${token}`, message: "x", innerError: { "request-id": `rid-${token}` } } };
  res.writeHead(status, { "content-type": "application/json", "request-id": `rid-${token}`, "x-ms-throttle-information": `token=${token}`, ...headers });
  res.end(JSON.stringify(body));
};

function everyText(error: unknown): string[] {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const e = current as Error & { hint?: string };
    texts.push(String(e), e.message ?? "", e.stack ?? "", e.hint ?? "", JSON.stringify(e) ?? "");
    current = e.cause;
  }
  return texts;
}

test("neither the client secret nor an access token appears in any error message or event", async () => {
  const events: GraphEvent[] = [];
  const errors: unknown[] = [];
  const options = {
    tenantId, clientId, clientSecret: SECRET,
    graphBaseUrl: server.graphBaseUrl, loginBaseUrl: server.loginBaseUrl, caPem: server.caPem,
    budget: new RequestBudget(),
    retry: { maxAttempts: 2, baseDelayMs: 1, random: () => 0.5 },
    onEvent: (e: GraphEvent) => events.push(e),
  };
  const client = new GraphClient(options);
  const badClient = new GraphClient({ ...options, clientSecret: WRONG_SECRET });
  const req = { method: "GET" as const, url: "/users", throttle: "directory" as const, resourceUnits: 1, permission: "User.Read.All", table: "users" };
  const attempt = async (c: GraphClient, url = "/users") => {
    await c.request({ ...req, url }).catch((e: unknown) => errors.push(e));
  };

  try {
    server.enqueue(echo(400, "Request_BadRequest"));
    await attempt(client);
    server.enqueue(echo(403, "Authorization_RequestDenied"));
    await attempt(client);
    server.enqueue(echo(500, "generalException"), echo(500, "generalException"));
    await attempt(client);
    server.enqueue(echo(401, "InvalidAuthenticationToken"), echo(401, "InvalidAuthenticationToken"));
    await attempt(client);
    server.enqueue(echo(429, "TooManyRequests", { "retry-after": "0.01" }), ({ res }: GraphCall) => json(res, 200, { value: [] }));
    await attempt(client);
    server.enqueue(echo(400, "syncStateNotFound"));
    await attempt(client, `${server.graphBaseUrl}/users/delta?$deltatoken=${encodeURIComponent(TOKEN)}`);
    server.enqueue((call: GraphCall) => {
      const res: ServerResponse = call.res;
      res.writeHead(200, { "content-length": "400" });
      res.write(`{"echo":"${call.req.headers.authorization}"`);
      setTimeout(() => res.socket?.destroy(), 10);
    }, (call: GraphCall) => {
      call.res.writeHead(200, { "content-length": "400" });
      call.res.write(`{"echo":"${call.req.headers.authorization}"`);
      setTimeout(() => call.res.socket?.destroy(), 10);
    });
    await attempt(client);
    server.enqueue(echoEverywhere(400));
    await attempt(client);
    server.enqueue(echoEverywhere(429, { "retry-after": "0.01" }), echoEverywhere(429, { "retry-after": "0.01" }));
    await attempt(client);
    await attempt(badClient);
  } finally {
    await client.close();
    await badClient.close();
  }

  // The scenarios really ran: the token reached the server, and every failure produced an error.
  expect(server.graphRequests().some((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  expect(errors).toHaveLength(9);
  expect(events.length).toBeGreaterThanOrEqual(4);
  expect(errors.map((e) => (e as { code?: string }).code)).toEqual([
    "KAIVO_GRAPH_REQUEST_FAILED", "KAIVO_GRAPH_PERMISSION_MISSING", "KAIVO_GRAPH_REQUEST_FAILED", "KAIVO_GRAPH_REQUEST_FAILED",
    "KAIVO_GRAPH_DELTA_TOKEN_EXPIRED", "KAIVO_GRAPH_REQUEST_FAILED", "KAIVO_GRAPH_REQUEST_FAILED", "KAIVO_GRAPH_REQUEST_FAILED", "KAIVO_GRAPH_AUTH_FAILED",
  ]);
  // What the proxy said around the token is kept.
  expect((errors[6] as Error).message).toMatch(/400 Bad_\[redacted\]\): x \[request-id rid-\[redacted\]\]/);
  expect(events.some((e) => e.type === "graph.throttled" && e.information === "token=[redacted]")).toBe(true);
  // The echoed header was redacted, not dropped: the message still says what Graph said.
  expect((errors[0] as Error).message).toContain("You sent Bearer [redacted]");

  const outputs = [...errors.flatMap(everyText), ...events.map((e) => JSON.stringify(e))];
  for (const text of outputs) {
    for (const canary of CANARIES) expect(text).not.toContain(canary);
  }
});
