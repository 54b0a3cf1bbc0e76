import { describe, expect, test } from "vitest";
import { startClient } from "./helpers.js";

describe("Graph's request budgets", () => {
  test("identity resource units: 429 TooManyRequests with a fractional Retry-After and throttle headers", async () => {
    const c = await startClient({ throttling: { identityResourceUnitsPer10s: 20 } });
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof c.get>> | undefined;
    for (let i = 0; i < 15; i++) {
      const res = await c.get("users?$top=50"); // cost 2
      statuses.push(res.status);
      if (res.status === 429) throttled ??= res;
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(throttled).toBeDefined();
    const retryAfter = throttled!.headers["retry-after"]!;
    expect(retryAfter).toMatch(/^\d+(\.\d{1,3})?$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(1.0);
    expect(Number.isInteger(Number(retryAfter))).toBe(false);
    expect(throttled!.headers["x-ms-throttle-information"]).toBe("ResourceUnitLimitExceeded");
    expect(throttled!.headers["x-ms-throttle-scope"]).toBe(`Tenant_Application/ReadOnly/${c.sim.clientId}/${c.sim.tenantId}`);
    expect(throttled!.json()["error"]).toMatchObject({ code: "TooManyRequests", message: "Please retry again later." });
    // Waiting Retry-After lets the request through.
    await new Promise((r) => setTimeout(r, Number(retryAfter) * 1000 + 20));
    expect((await c.get("users?$top=5")).status).toBe(200);
  });

  test("resource-unit costs follow §6: users 2, $select −1, $top < 20 −1, minimum 1", async () => {
    const c = await startClient();
    expect((await c.get("users?$top=50")).headers["x-ms-resource-unit"]).toBe("2");
    expect((await c.get("users?$top=50&$select=displayName")).headers["x-ms-resource-unit"]).toBe("1");
    expect((await c.get("users?$top=5&$select=displayName")).headers["x-ms-resource-unit"]).toBe("1");
    expect((await c.get("groups?$top=50")).headers["x-ms-resource-unit"]).toBe("1");
  });

  test("directoryAudits: 5 requests per 10 s", async () => {
    const c = await startClient({ throttling: true });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await c.get("auditLogs/directoryAudits?$top=1")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  test("users with signInActivity selected: 10 requests per minute, apart from the other users reads", async () => {
    const c = await startClient({ throttling: true });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await c.get("users?$top=5&$select=displayName,signInActivity")).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const throttled = await c.get("users?$top=5&$select=signInActivity");
    expect(throttled.headers["x-ms-throttle-scope"]).toBe(`Tenant_Application/Reports/${c.sim.clientId}/${c.sim.tenantId}`);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(1);
    expect((await c.get("users?$top=5&$select=displayName")).status).toBe(200);
  });

  test("identity providers: 200 per minute, scalable", async () => {
    const c = await startClient({ throttling: { scale: 0.01 } }); // 2 per minute
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await c.get("identity/identityProviders")).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  test("throttling can be switched off at run time", async () => {
    const c = await startClient({ throttling: { auditRequestsPer10s: 1 } });
    expect((await c.get("auditLogs/directoryAudits?$top=1")).status).toBe(200);
    expect((await c.get("auditLogs/directoryAudits?$top=1")).status).toBe(429);
    c.sim.control.setThrottling(false);
    expect((await c.get("auditLogs/directoryAudits?$top=1")).status).toBe(200);
  });
});
