import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, test } from "vitest";
import { startGraphSimulator } from "../../src/graph/index.js";
import { startClient } from "./helpers.js";

const GRAPH = "https://graph.microsoft.com/.default";

describe("token endpoint", () => {
  test("issues expiring opaque bearer tokens; both Graph and simulator scopes are accepted", async () => {
    const c = await startClient({ tokenLifetimeSeconds: 120 });
    for (const scope of [GRAPH, `${c.sim.authorityHost}/.default`]) {
      const res = await c.requestToken({ client_id: c.sim.clientId, client_secret: c.sim.clientSecret, scope, grant_type: "client_credentials" });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ token_type: "Bearer", expires_in: 120, ext_expires_in: 120 });
      expect(String(res.json()["access_token"]).length).toBeGreaterThan(20);
    }
  });

  test("accepts the tenant's domain and HTTP Basic client authentication; ignores MSAL's extra form fields", async () => {
    const c = await startClient();
    const domain = c.sim.control.shape().domain;
    const res = await c.requestToken({ scope: GRAPH, grant_type: "client_credentials", client_id: c.sim.clientId, client_secret: c.sim.clientSecret, "x-client-SKU": "msal.js.node" }, domain);
    expect(res.status).toBe(200);
  });

  test.each([
    ["wrong secret", { client_secret: "nope" }, undefined, 401, "invalid_client", 7000215],
    ["unknown tenant", {}, "00000000-0000-0000-0000-000000000001", 400, "invalid_tenant", 90002],
    ["unknown client", { client_id: "11111111-1111-1111-1111-111111111111" }, undefined, 400, "unauthorized_client", 700016],
    ["scope without /.default", { scope: "https://graph.microsoft.com/User.Read.All" }, undefined, 400, "invalid_scope", 1002012],
    ["another resource", { scope: "https://management.azure.com/.default" }, undefined, 400, "invalid_resource", 500011],
    ["wrong grant", { grant_type: "password" }, undefined, 400, "unsupported_grant_type", 70003],
  ] as const)("%s answers an AADSTS-shaped error", async (_name, override, tenant, status, error, code) => {
    const c = await startClient();
    const res = await c.requestToken({ client_id: c.sim.clientId, client_secret: c.sim.clientSecret, scope: GRAPH, grant_type: "client_credentials", ...override }, tenant);
    expect(res.status).toBe(status);
    const body = res.json();
    expect(body["error"]).toBe(error);
    expect(body["error_codes"]).toEqual([code]);
    expect(String(body["error_description"])).toMatch(new RegExp(`^AADSTS${code}: `));
    expect(String(body["timestamp"])).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
    expect(body["trace_id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(body["correlation_id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(String(body["error_description"])).not.toContain(c.sim.clientSecret);
  });

  test("an expired client secret answers AADSTS7000222", async () => {
    const c = await startClient();
    c.sim.control.setClientSecretExpired(true);
    const res = await c.requestToken({ client_id: c.sim.clientId, client_secret: c.sim.clientSecret, scope: GRAPH, grant_type: "client_credentials" });
    expect(res.status).toBe(401);
    expect(res.json()["error_codes"]).toEqual([7000222]);
  });

  test("serves the OpenID configuration MSAL reads", async () => {
    const c = await startClient();
    const res = await c.get(`${c.sim.authorityUrl}/v2.0/.well-known/openid-configuration`);
    expect(res.json()).toMatchObject({
      token_endpoint: `${c.sim.authorityUrl}/oauth2/v2.0/token`,
      issuer: `${c.sim.authorityUrl}/v2.0`,
      authorization_endpoint: `${c.sim.authorityUrl}/oauth2/v2.0/authorize`,
    });
    expect(JSON.parse(c.sim.authorityMetadata)).toEqual(res.json());
  });
});

describe("Graph authentication", () => {
  test("tokens expire on the simulator clock: 401 InvalidAuthenticationToken with WWW-Authenticate", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const c = await startClient({ tokenLifetimeSeconds: 60, now: () => new Date(now) });
    expect((await c.get("users")).status).toBe(200);
    now += 61_000;
    const res = await c.get("users");
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer realm=""/);
    expect(res.json()["error"]).toMatchObject({ code: "InvalidAuthenticationToken", message: "Access token has expired or is not yet valid." });
  });

  test("missing and unknown tokens answer 401; expireAccessTokens revokes every token", async () => {
    const c = await startClient();
    expect((await c.get("users", { authorization: "" })).status).toBe(401);
    expect((await c.get("users", { authorization: "Bearer made-up" })).status).toBe(401);
    c.sim.control.expireAccessTokens();
    expect((await c.get("users")).status).toBe(401);
  });

  test("signInActivity: 403 without AuditLog.Read.All or in a non-premium tenant", async () => {
    const c = await startClient({ signInActivityLicensed: false });
    const res = await c.get("users?$select=id,signInActivity&$top=500");
    expect(res.status).toBe(403);
    expect(res.json()["error"]).toMatchObject({ code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant" });
    c.sim.control.setSignInActivityLicensed(true);
    expect((await c.get("users?$select=id,signInActivity&$top=500")).status).toBe(200);
    c.sim.control.revokePermission("AuditLog.Read.All");
    expect((await c.get("users?$select=id,signInActivity")).json()["error"]).toMatchObject({ code: "Authorization_RequestDenied" });
    expect((await c.get("users?$select=id,displayName")).status).toBe(200);
  });

  test("unknown paths answer 400 'Resource not found for the segment'", async () => {
    const c = await startClient();
    const res = await c.get("me/drive");
    expect(res.status).toBe(400);
    expect(res.json()["error"]).toMatchObject({ code: "BadRequest", message: "Resource not found for the segment 'me'." });
  });
});

describe("control API over HTTP", () => {
  test("mutations, faults and counters under /_simulator", async () => {
    const c = await startClient();
    const created = await c.post(`${c.sim.controlUrl}/users`, JSON.stringify({ displayName: "Über HTTP" }));
    expect(created.status).toBe(201);
    const id = String(created.json()["id"]);
    expect((await c.post(`${c.sim.controlUrl}/faults`, JSON.stringify({ spec: "503=x1@groups" }))).status).toBe(200);
    expect((await c.get("groups")).status).toBe(503);
    const counters = (await c.get(`${c.sim.controlUrl}/counters`)).json();
    expect(counters["groups"]).toEqual({ "503": 1 });
    const objects = (await c.get(`${c.sim.controlUrl}/objects/users`)).text.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.find((o) => o["id"] === id)?.["displayName"]).toBe("Über HTTP");
    const bad = await c.post(`${c.sim.controlUrl}/faults`, JSON.stringify({ spec: "nope=1" }));
    expect(bad.status).toBe(400);
    expect(String(bad.json()["error"])).toContain('Invalid fault spec part "nope=1"');
  });
});

describe("token endpoint faults and $count", () => {
  test("a 503 fault on the token endpoint answers an AADSTS-shaped temporarily_unavailable", async () => {
    const c = await startClient();
    c.sim.control.addFaults([{ kind: "503", count: 1, endpoint: "token", retryAfterSeconds: 0.25 }]);
    const form = { client_id: c.sim.clientId, client_secret: c.sim.clientSecret, scope: GRAPH, grant_type: "client_credentials" };
    const res = await c.requestToken(form);
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toBe("0.25");
    expect(res.json()).toMatchObject({ error: "temporarily_unavailable", error_codes: [90033] });
    expect((await c.requestToken(form)).status).toBe(200);
    expect((await c.get("users")).status).toBe(200); // token faults never touch Graph
  });

  test("$count=true needs ConsistencyLevel: eventual and appears on the first page only", async () => {
    const c = await startClient({ users: 50 });
    expect((await c.get("users?$count=true&$top=10")).status).toBe(400);
    const first = (await c.get("users?$count=true&$top=10", { consistencylevel: "eventual" })).json();
    expect(first["@odata.count"]).toBe(50);
    const second = (await c.get(String(first["@odata.nextLink"]))).json();
    expect(second["@odata.count"]).toBeUndefined();
  });
});

describe("the CA file", () => {
  test("holds the CA the server's certificate chains to, and goes with the simulator's temp dir when it closes", async () => {
    const sim = await startGraphSimulator({ users: 5 });
    expect(readFileSync(sim.caFile, "utf8")).toBe(sim.caPem);
    await sim.close();
    expect(existsSync(dirname(sim.caFile))).toBe(false);
  });
});
