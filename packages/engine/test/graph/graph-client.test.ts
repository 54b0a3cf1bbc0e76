import { createServer, type AddressInfo, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { KaivoError } from "@kaivo/codegen";
import {
  AuthenticationError,
  DeltaTokenExpiredError,
  GraphRequestError,
  KAIVO_GRAPH_DELTA_TOKEN_EXPIRED,
  KAIVO_GRAPH_FOREIGN_LINK,
  KAIVO_GRAPH_PERMISSION_MISSING,
  KAIVO_GRAPH_REQUEST_FAILED,
  MissingPermissionError,
} from "../../src/graph/errors.js";
import { GraphClient, type GraphClientOptions, type GraphRequest } from "../../src/graph/graph-client.js";
import type { GraphEvent } from "../../src/graph/graph-events.js";
import { createHttpAgent } from "../../src/graph/http-agent.js";
import { RequestBudget } from "../../src/graph/request-budget.js";
import { graphError, json, startTestServer, type TestServer } from "./test-server.js";

const tenantId = "11111111-2222-3333-4444-555555555555";
const clientId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const clientSecret = "right~secret.value";

let server: TestServer;
const clients: GraphClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ tenantId, clientId, clientSecret });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  server.reset();
});

function setup(overrides: Partial<GraphClientOptions> = {}): { client: GraphClient; events: GraphEvent[] } {
  const events: GraphEvent[] = [];
  const client = new GraphClient({
    tenantId, clientId, clientSecret,
    graphBaseUrl: server.graphBaseUrl,
    loginBaseUrl: server.loginBaseUrl,
    caPem: server.caPem,
    budget: new RequestBudget(),
    retry: { baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 },
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  clients.push(client);
  return { client, events };
}

const users: GraphRequest = {
  method: "GET", url: "/users", throttle: "directory", resourceUnits: 1, permission: "User.Read.All", table: "users",
};

const ok = (body: unknown = { value: [] }, headers: Record<string, string> = {}) =>
  ({ res }: { res: import("node:http").ServerResponse }) => json(res, 200, body, { "request-id": "rid-ok", ...headers });

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => { throw new Error("expected the request to fail"); }, (e: unknown) => e);
}

describe("GraphClient requests", () => {
  test("builds the first request from the path and query, with the documented headers", async () => {
    const { client } = setup();
    server.enqueue(ok({ value: [{ id: "1" }] }));
    const response = await client.request<{ value: { id: string }[] }>({
      ...users,
      query: { $select: "id,displayName,createdDateTime", $top: "999", $filter: "accountEnabled eq true" },
    });
    expect(response).toEqual({ status: 200, body: { value: [{ id: "1" }] }, requestId: "rid-ok", attempts: 1 });

    const sent = server.graphRequests()[0]!;
    expect(sent.url).toBe("/v1.0/users?$select=id,displayName,createdDateTime&$top=999&$filter=accountEnabled%20eq%20true");
    expect(sent.headers["x-ms-throttle-priority"]).toBe("Low");
    expect(sent.headers["accept"]).toBe("application/json");
    expect(sent.headers["client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.headers["authorization"]).toMatch(/^Bearer token-\d+$/);
    expect(client.stats("users")).toEqual({ requests: 1, retries: 0, throttled: 0 });
  });

  test("follows an @odata.nextLink byte for byte", async () => {
    const { client } = setup();
    const path =
      "/v1.0/users?$select=id,displayName&$top=999&$skiptoken=X%2744537074020001000000000000000014000000C233BFA08475B84E8BF8C4%27" +
      "&odd=%2c%3d%7E!*'()";
    server.enqueue(ok());
    await client.request({ ...users, url: `${server.origin}${path}` });
    expect(server.graphRequests()[0]!.url).toBe(path);
  });

  test("sends a POST body as JSON", async () => {
    const { client } = setup();
    server.enqueue(ok({ value: [] }));
    await client.request({
      method: "POST", url: "/directory/deletedItems/getUserOwnedObjects", body: { userId: "u1", type: "Group" },
      throttle: "directory", resourceUnits: 1, permission: "Group.Read.All", table: "user_owned_deleted_items",
    });
    const sent = server.graphRequests()[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent.body)).toEqual({ userId: "u1", type: "Group" });
  });

  test("refuses a link to another host, and sends nothing", async () => {
    const { client } = setup();
    const error = await failureOf(client.request({ ...users, url: "https://evil.example/v1.0/users?$skiptoken=x" }));
    expect(error).toBeInstanceOf(KaivoError);
    expect((error as KaivoError).code).toBe(KAIVO_GRAPH_FOREIGN_LINK);
    expect(server.requests).toHaveLength(0);
  });
});

describe("GraphClient retries", () => {
  test("429 with a fractional Retry-After waits about that long, pauses the class, then succeeds", async () => {
    const { client, events } = setup();
    server.enqueue(
      ({ res }) => graphError(res, 429, "TooManyRequests", "Please retry again later.", { "retry-after": "0.2", "x-ms-throttle-information": "ResourceUnitLimitExceeded" }),
      ok(),
    );
    const started = Date.now();
    const response = await client.request(users);
    const elapsed = Date.now() - started;
    expect(response.attempts).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1_500);
    expect(events).toEqual([
      { type: "graph.throttled", table: "users", path: "/users", throttleClass: "directory", status: 429, waitMs: 200, attempt: 1, information: "ResourceUnitLimitExceeded" },
      { type: "graph.retry", table: "users", path: "/users", status: 429, error: null, attempt: 1, waitMs: 200, reason: "retry-after" },
    ]);
    expect(client.stats("users")).toEqual({ requests: 2, retries: 1, throttled: 1 });
  });

  test("an aborted signal ends the wait for a retry: the request rejects with the signal's reason and is not sent again", async () => {
    const { client } = setup();
    server.enqueue(({ res }) => graphError(res, 503, "ServiceUnavailable", "later", { "retry-after": "30" }), ok());
    const stop = new AbortController();
    const pending = client.request({ ...users, signal: stop.signal });
    while (server.graphRequests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(server.graphRequests()).toHaveLength(1);
  });

  for (const [transport, overrides] of [
    ["its own HTTP thread", () => ({})],
    ["an injected dispatcher", () => ({ dispatcher: createHttpAgent({ caPem: server.caPem }) })],
  ] as const) {
    test(`an aborted signal ends an attempt under way (${transport}): the request rejects at once and the connection is closed`, async () => {
      const { client } = setup(overrides());
      let closed = false;
      server.enqueue(({ req }) => req.socket.once("close", () => (closed = true)));
      const stop = new AbortController();
      const pending = client.request({ ...users, signal: stop.signal });
      while (server.graphRequests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      stop.abort();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
      while (!closed) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(client.stats("users")).toEqual({ requests: 1, retries: 0, throttled: 0 });

      // The client goes on working for a request without a signal.
      server.enqueue(ok());
      expect((await client.request(users)).status).toBe(200);
    });
  }

  test("closing does not wait for a connection Graph never answers (a TLS handshake hanging after a stop)", async () => {
    // A host that accepts the connection and then says nothing, as a stopped process does.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { client } = setup({ graphBaseUrl: `https://127.0.0.1:${(silent.address() as AddressInfo).port}/v1.0` });
      const stop = new AbortController();
      const pending = client.request({ ...users, signal: stop.signal });
      while (sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      stop.abort();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
      const started = Date.now();
      await client.close();
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  test("a 429 for one table holds back the other tables of the same class", async () => {
    const budget = new RequestBudget();
    const { client, events } = setup({ budget });
    server.enqueue(({ res }) => graphError(res, 429, "TooManyRequests", "later", { "retry-after": "0.3" }), ok(), ok());
    const first = client.request(users);
    // Wait until the 429 has arrived, then start another table's request.
    while (!events.some((e) => e.type === "graph.throttled")) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await client.request({ ...users, url: "/groups", table: "groups" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await first;
    expect(client.stats("groups")).toEqual({ requests: 1, retries: 0, throttled: 0 });
  });

  test("503 then success", async () => {
    const { client, events } = setup();
    server.enqueue(({ res }) => graphError(res, 503, "serviceNotAvailable", "down"), ok());
    const response = await client.request(users);
    expect(response.attempts).toBe(2);
    expect(events).toEqual([
      expect.objectContaining({ type: "graph.retry", status: 503, attempt: 1, reason: "backoff" }),
    ]);
  });

  test("a connection reset mid-body is retried", async () => {
    const { client, events } = setup();
    server.enqueue(({ res }) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
      res.write('{"value":[{"id":"1"},');
      setTimeout(() => res.socket?.destroy(), 20);
    }, ok({ value: [{ id: "1" }] }));
    const response = await client.request<{ value: unknown[] }>(users);
    expect(response.body.value).toHaveLength(1);
    expect(response.attempts).toBe(2);
    const retry = events[0];
    expect(retry).toMatchObject({ type: "graph.retry", status: null, attempt: 1 });
    expect(retry?.type === "graph.retry" ? retry.error : null).toBeTruthy();
  });

  test("a truncated JSON body is retried", async () => {
    const { client, events } = setup();
    server.enqueue(({ res }) => {
      const text = '{"value":[{"id":"1"},{"id":';
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    }, ok({ value: [] }));
    const response = await client.request(users);
    expect(response.attempts).toBe(2);
    expect(events).toEqual([expect.objectContaining({ type: "graph.retry", status: 200, error: "invalid-body" })]);
  });

  test("a 200 with an empty body is retried, not read as an empty last page", async () => {
    const { client, events } = setup();
    server.enqueue(({ res }) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": 0 });
      res.end();
    }, ok({ value: [{ id: "1" }] }));
    const response = await client.request<{ value: unknown[] }>(users);
    expect(response.body.value).toHaveLength(1);
    expect(events).toEqual([expect.objectContaining({ type: "graph.retry", status: 200, error: "invalid-body" })]);
  });

  test("a path Graph does not know fails at once, and the hint points at the declaration's source path", async () => {
    const { client } = setup();
    server.enqueue(({ res }) => graphError(res, 400, "BadRequest", "Resource not found for the segment 'domainz'."));
    const error = await failureOf(client.request(users));
    expect(error).toMatchObject({ status: 400, attempts: 1, category: "upstream", hint: expect.stringMatching(/^Graph v1\.0 has no such resource: check source\.path and source\.deltaPath in tables\/\w+\.json\./) });
  });

  test("retries are bounded, then a GraphRequestError says what failed", async () => {
    const { client, events } = setup({ retry: { maxAttempts: 3, baseDelayMs: 5, random: () => 0.5 } });
    server.enqueue(...Array.from({ length: 3 }, () => ({ res }: { res: import("node:http").ServerResponse }) =>
      graphError(res, 500, "generalException", "boom")));
    const error = await failureOf(client.request(users));
    expect(error).toBeInstanceOf(GraphRequestError);
    const e = error as GraphRequestError;
    expect(e).toMatchObject({ code: KAIVO_GRAPH_REQUEST_FAILED, status: 500, graphCode: "generalException", attempts: 3, retryable: true, category: "transient", path: "/users", method: "GET", requestId: "req-500" });
    expect(e.message).toBe("GET /users failed after 3 attempts (500 generalException): boom [request-id req-500]");
    expect(server.graphRequests()).toHaveLength(3);
    expect(events.filter((x) => x.type === "graph.retry")).toHaveLength(2);
  });

  test.each([400, 404])("a %i is not retried", async (status) => {
    const { client } = setup();
    server.enqueue(({ res }) => graphError(res, status, "Request_BadRequest", "nope"));
    const error = await failureOf(client.request(users));
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status, retryable: false, attempts: 1, category: "upstream" });
    expect(server.graphRequests()).toHaveLength(1);
  });
});

describe("GraphClient authentication and typed errors", () => {
  test("a 401 re-acquires the token once and retries with the new token", async () => {
    const { client, events } = setup();
    server.enqueue(({ res }) => graphError(res, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."), ok());
    const response = await client.request(users);
    expect(response.attempts).toBe(2);
    const [first, second] = server.graphRequests();
    expect(server.tokenRequests()).toHaveLength(2);
    // The retry carried the token from the second token request (MSAL's cache was skipped).
    expect(first!.headers.authorization).toBe("Bearer token-1");
    expect(second!.headers.authorization).toBe("Bearer token-2");
    expect(events).toEqual([{ type: "graph.token.refreshed", table: "users", path: "/users", reason: "401" }]);
  });

  test("a second 401 fails", async () => {
    const { client } = setup();
    server.enqueue(
      ({ res }) => graphError(res, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
      ({ res }) => graphError(res, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
    );
    const error = await failureOf(client.request(users));
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 401, graphCode: "InvalidAuthenticationToken", attempts: 2, category: "config" });
    expect(server.graphRequests()).toHaveLength(2);
    expect(server.tokenRequests()).toHaveLength(2);
  });

  test("a 403 names the permission to grant and the app", async () => {
    const { client } = setup();
    server.enqueue(({ res }) => graphError(res, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    const error = await failureOf(client.request({
      method: "GET", url: "/auditLogs/directoryAudits", query: { $top: "500" },
      throttle: "reports", resourceUnits: 1, permission: "AuditLog.Read.All", table: "directoryaudits",
    }));
    expect(error).toBeInstanceOf(MissingPermissionError);
    const e = error as MissingPermissionError;
    expect(e.message).toBe(
      `Graph denied access to /auditLogs/directoryAudits (403 Authorization_RequestDenied). Grant the application permission AuditLog.Read.All to app ${clientId} and give admin consent.`,
    );
    expect(e).toMatchObject({ code: KAIVO_GRAPH_PERMISSION_MISSING, permission: "AuditLog.Read.All", clientId, table: "directoryaudits", status: 403, category: "config", exitCode: 2 });
    expect(e).toBeInstanceOf(GraphRequestError);
    expect(server.graphRequests()).toHaveLength(1);
  });

  test("400 syncStateNotFound on a delta link becomes DeltaTokenExpiredError", async () => {
    const { client } = setup();
    server.enqueue(({ res }) => graphError(res, 400, "syncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again."));
    const error = await failureOf(client.request({ ...users, url: `${server.graphBaseUrl}/users/delta?$deltatoken=abc%3d%3d` }));
    expect(error).toBeInstanceOf(DeltaTokenExpiredError);
    expect(error).toMatchObject({ code: KAIVO_GRAPH_DELTA_TOKEN_EXPIRED, status: 400, graphCode: "syncStateNotFound", path: "/users/delta", location: undefined });
    expect((error as Error).message).not.toContain("abc");
    expect(server.graphRequests()).toHaveLength(1);
  });

  test("410 Gone with a Location carries the fresh delta URL", async () => {
    const { client } = setup();
    const location = `${server.graphBaseUrl}/users/delta?$deltatoken=`;
    server.enqueue(({ res }) => graphError(res, 410, "resyncRequired", "Resync required.", { location }));
    const error = await failureOf(client.request({ ...users, url: `${server.graphBaseUrl}/users/delta?$skiptoken=zzz` }));
    expect(error).toBeInstanceOf(DeltaTokenExpiredError);
    expect((error as DeltaTokenExpiredError).location).toBe(location);
  });
});

describe("GraphClient token endpoint outages", () => {
  test("a 503 from the token endpoint is retried like any transient failure", async () => {
    const { client, events } = setup();
    server.failTokenRequests(1, 503, "0");
    server.enqueue(ok());
    const response = await client.request(users);
    expect(response.attempts).toBe(2);
    expect(events).toEqual([expect.objectContaining({ type: "graph.retry", error: "token-unavailable", attempt: 1 })]);
  });

  test("signing in first retries it too, then has the token the next request uses", async () => {
    const { client } = setup();
    server.failTokenRequests(2, 503, "0");
    await client.acquireToken();
    expect(server.tokenRequests()).toHaveLength(3);
    server.enqueue(ok());
    expect((await client.request(users)).attempts).toBe(1);
    expect(server.tokenRequests()).toHaveLength(3);
  });
});

describe("GraphClient TLS trust", () => {
  test("without the CA option the self-signed Graph host is refused at once, with a hint", async () => {
    const client = new GraphClient({
      tenantId, clientId, clientSecret, graphBaseUrl: server.graphBaseUrl, loginBaseUrl: server.loginBaseUrl,
      budget: new RequestBudget(), retry: { baseDelayMs: 1 },
      tokenSource: { getToken: async () => "static-token" },
    });
    clients.push(client);
    const error = await failureOf(client.request(users));
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: undefined, attempts: 1, category: "config" });
    expect((error as GraphRequestError).hint).toMatch(/graph\.caFile/);
    expect(server.graphRequests()).toHaveLength(0);
  });

  test("without the CA option the token request fails with an AuthenticationError", async () => {
    const client = new GraphClient({
      tenantId, clientId, clientSecret, graphBaseUrl: server.graphBaseUrl, loginBaseUrl: server.loginBaseUrl,
      budget: new RequestBudget(), retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    clients.push(client);
    const error = await failureOf(client.request(users));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ retryable: false, category: "config" });
    expect((error as AuthenticationError).message).toBe(
      `Could not get a token for app ${clientId}: the TLS certificate of ${server.host} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT).`,
    );
    expect((error as AuthenticationError).hint).toMatch(/graph\.caFile/);
    expect(server.graphRequests()).toHaveLength(0);
  });
});
