import { describe, expect, test } from "vitest";
import { Agent, request } from "undici";
import { parseFaultSpec, type FaultRule } from "../../src/graph/index.js";
import { startClient } from "./helpers.js";

describe("parseFaultSpec", () => {
  test("parses rates, counts, latency, endpoints and Retry-After", () => {
    expect(parseFaultSpec("429=0.1,503=0.02,reset=0.01,truncate=0.01")).toEqual([
      { kind: "429", rate: 0.1 },
      { kind: "503", rate: 0.02 },
      { kind: "reset", rate: 0.01 },
      { kind: "truncate", rate: 0.01 },
    ]);
    expect(parseFaultSpec("429=x3@users/delta, latency=250ms:0.5, 503=0.5/2.5, expired-token=x1, deltaExpired=1")).toEqual([
      { kind: "429", count: 3, endpoint: "users/delta" },
      { kind: "latency", latencyMs: 250, rate: 0.5 },
      { kind: "503", rate: 0.5, retryAfterSeconds: 2.5 },
      { kind: "401", count: 1 },
      { kind: "deltaExpired", rate: 1 },
    ]);
  });

  test.each([
    ["429", 'Invalid fault spec part "429": expected kind=value'],
    ["boom=0.1", 'Invalid fault spec part "boom=0.1": unknown fault kind "boom"'],
    ["429=1.5", 'Invalid fault spec part "429=1.5": rate 1.5 is outside 0..1'],
    ["503=abc", 'Invalid fault spec part "503=abc": "abc" is not a rate'],
    ["reset=0.1/2", 'Invalid fault spec part "reset=0.1/2": a Retry-After'],
    ["latency=fast", 'Invalid fault spec part "latency=fast": latency needs milliseconds'],
  ])("rejects %s with a clear message", (spec, message) => {
    expect(() => parseFaultSpec(`429=0.1,${spec}`)).toThrow(message);
  });
});

async function statuses(c: Awaited<ReturnType<typeof startClient>>, path: string, n: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const res = await c.get(path);
    out.set(res.status, (out.get(res.status) ?? 0) + 1);
  }
  return out;
}

describe("fault injection", () => {
  test.each([
    [{ kind: "429", rate: 0.2 } as FaultRule, 429],
    [{ kind: "503", rate: 0.2 } as FaultRule, 503],
    [{ kind: "504", rate: 0.2 } as FaultRule, 504],
    [{ kind: "403", rate: 0.2 } as FaultRule, 403],
  ])("%o fires at about its rate", async (rule, status) => {
    const c = await startClient({ faults: [rule] });
    const counts = await statuses(c, "groups?$top=5", 400);
    const fired = counts.get(status) ?? 0;
    expect(fired).toBeGreaterThan(50);
    expect(fired).toBeLessThan(110);
    expect(c.sim.control.counters()["groups"]).toEqual(Object.fromEntries([...counts].map(([k, v]) => [String(k), v])));
  });

  test("429 carries a fractional Retry-After and Graph's documented body", async () => {
    const c = await startClient({ faults: [{ kind: "429", count: 1, retryAfterSeconds: 2.128 }] });
    const res = await c.get("users");
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("2.128");
    expect(res.json()["error"]).toMatchObject({ code: "TooManyRequests", message: "Please retry again later." });
    expect((await c.get("users")).status).toBe(200); // the count is spent
  });

  test("503 and 504 have Graph-shaped bodies with request ids", async () => {
    const c = await startClient({ faults: [{ kind: "503", count: 1, retryAfterSeconds: 0.5 }, { kind: "504", count: 1 }] });
    const a = await c.get("users");
    expect(a.status).toBe(503);
    expect(a.headers["retry-after"]).toBe("0.5");
    expect(a.json()["error"]).toMatchObject({ code: "serviceNotAvailable" });
    const b = await c.get("users");
    expect(b.status).toBe(504);
    expect(((b.json()["error"] as Record<string, unknown>)["innerError"] as Record<string, unknown>)["request-id"]).toBe(b.headers["request-id"]);
  });

  test("next-N faults apply only to their endpoint", async () => {
    const c = await startClient();
    c.sim.control.addFaults("503=x2@groups");
    expect((await c.get("users")).status).toBe(200);
    expect((await c.get("groups")).status).toBe(503);
    expect((await c.get("groups")).status).toBe(503);
    expect((await c.get("groups")).status).toBe(200);
    expect(c.sim.control.faults()).toEqual([]);
  });

  test("reset destroys the connection mid-body", async () => {
    const c = await startClient({ faults: [{ kind: "reset", count: 1 }] });
    const agent = new Agent({ connect: { ca: c.sim.caPem } });
    const res = await request(`${c.sim.graphBaseUrl}/users?$top=50`, { dispatcher: agent, headers: { authorization: `Bearer ${c.token}` } });
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
    await agent.close();
    expect((await c.get("users?$top=50")).status).toBe(200);
  });

  test("truncate answers 200 with JSON cut short", async () => {
    const c = await startClient({ faults: [{ kind: "truncate", count: 1 }] });
    const res = await c.get("users?$top=50");
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
    expect(res.text.length).toBeGreaterThan(10);
  });

  test("401 fault expires the presented token for good (InvalidAuthenticationToken + WWW-Authenticate)", async () => {
    const c = await startClient({ faults: [{ kind: "401", count: 1 }] });
    const res = await c.get("users");
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer /);
    expect(res.json()["error"]).toMatchObject({ code: "InvalidAuthenticationToken", message: "Access token has expired or is not yet valid." });
    expect((await c.get("users")).status).toBe(401);
    const fresh = await c.requestToken({ client_id: c.sim.clientId, client_secret: c.sim.clientSecret, scope: "https://graph.microsoft.com/.default", grant_type: "client_credentials" });
    c.token = String(fresh.json()["access_token"]);
    expect((await c.get("users")).status).toBe(200);
  });

  test("deltaExpired fault only hits requests carrying a delta or skip token", async () => {
    const c = await startClient({ faults: [{ kind: "deltaExpired", count: 1 }] });
    expect((await c.get("users")).status).toBe(200);
    const first = (await c.get("users/delta")).json();
    expect(first["@odata.deltaLink"]).toBeDefined();
    const res = await c.get(String(first["@odata.deltaLink"]));
    expect(res.json()["error"]).toMatchObject({ code: "syncStateNotFound" });
  });

  test("latency delays answers; revoking a permission makes endpoints needing it 403", async () => {
    const c = await startClient({ latencyMs: 60 });
    const t0 = performance.now();
    await c.get("directoryRoles");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    c.sim.control.setLatency(0);
    c.sim.control.revokePermission("Application.Read.All");
    c.sim.control.revokePermission("Directory.Read.All");
    expect((await c.get("applications")).json()["error"]).toMatchObject({ code: "Authorization_RequestDenied" });
    expect((await c.get("servicePrincipals/delta")).status).toBe(403);
    expect((await c.get("users")).status).toBe(200);
    c.sim.control.grantPermission("Application.Read.All");
    expect((await c.get("applications")).status).toBe(200);
  });

  test("the request log records endpoint, status and fault", async () => {
    const c = await startClient({ faults: [{ kind: "429", count: 1, endpoint: "users" }] });
    await c.get("users?$top=1");
    await c.get("users?$top=1");
    const log = c.sim.control.requestLog().filter((e) => e.endpoint === "users");
    expect(log.map((e) => [e.status, e.fault])).toEqual([[429, "429"], [200, undefined]]);
    expect(log[0]!.url).toBe("/v1.0/users?$top=1");
  });
});

describe("body-level faults at a rate", () => {
  test.each(["reset", "truncate"] as const)("%s fires at about a 20 percent rate", async (kind) => {
    const c = await startClient({ faults: [{ kind, rate: 0.2 }] });
    const agent = new Agent({ connect: { ca: c.sim.caPem } });
    let broken = 0;
    for (let i = 0; i < 300; i++) {
      try {
        const res = await request(`${c.sim.graphBaseUrl}/groups?$top=20`, { dispatcher: agent, headers: { authorization: `Bearer ${c.token}` } });
        JSON.parse(await res.body.text());
      } catch {
        broken++;
      }
    }
    await agent.close();
    expect(broken).toBeGreaterThan(35);
    expect(broken).toBeLessThan(90);
    const log = c.sim.control.requestLog().filter((e) => e.fault === kind);
    expect(log.length).toBe(broken);
  });
});
