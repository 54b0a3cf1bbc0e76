import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunSummary } from "@kaivo/engine";
import { declarations, expectedRows, warehouseRows } from "../support/expected.js";
import { kaivo } from "../support/kaivo.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

describe.each(WAREHOUSES)("Graph faults, syncing into %s", (warehouse) => {
  let tenant: TestTenant;

  beforeAll(async () => {
    // Small delta pages so that one run makes enough requests for every fault kind to strike.
    tenant = await startTenant({ users: 300, seed: 21, deltaPageSize: 25 }, { tables: Object.fromEntries(declarations.map((d) => [d.name, {}])) }, warehouse);
  });
  afterAll(() => tenant.close());

  test("429, 503, 504, resets, truncated bodies, a login host unavailable at sign-in and token expiry mid-run change nothing in the final data", async () => {
    const c = tenant.sim.control;
    // Each kind strikes the first request it meets, then strikes at random. The simulator's faults
    // are seeded and a run makes some 25 requests, so which request meets which fault depends on
    // the order they arrive in; at these rates six in a row (every attempt of one request) stays
    // improbable in any order. At twice these rates, 3 runs in 16 failed that way once Graph's
    // requests moved to their own thread and arrived in another order.
    c.addFaults([
      { kind: "429", count: 1, retryAfterSeconds: 0.25 },
      { kind: "503", count: 1, retryAfterSeconds: 0.1 },
      { kind: "504", count: 1 },
      { kind: "reset", count: 1 },
      { kind: "truncate", count: 1 },
      { kind: "429", rate: 0.04, retryAfterSeconds: 0.25 },
      { kind: "503", rate: 0.03, retryAfterSeconds: 0.1 },
      { kind: "504", rate: 0.02 },
      { kind: "reset", rate: 0.02 },
      { kind: "truncate", rate: 0.02 },
      // The run signs in first, and the login host is briefly unavailable.
      { kind: "503", count: 1, endpoint: "token", retryAfterSeconds: 0.1 },
      // The token expires mid-run: the next request of two tables meets a 401 once.
      { kind: "401", count: 1, endpoint: "users/delta" },
      { kind: "401", count: 1, endpoint: "groups/delta" },
    ]);
    const result = await kaivo(["run", "--json"], { cwd: tenant.dir, env: tenant.env });
    c.clearFaults();
    const summary = (
      result.out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .find((e) => e.type === "run.finished") as { summary: RunSummary }
    ).summary;
    expect(summary.tables.filter((t) => t.status !== "succeeded")).toStrictEqual([]);
    expect(result.code).toBe(0);
    const statuses = c.counters();
    const faulted = JSON.stringify(statuses);
    for (const status of ["429", "503", "504", "401"]) expect(faulted, `the simulator answered ${status} at least once`).toContain(`"${status}"`);
    expect(summary.tables.reduce((n, t) => n + t.retries, 0)).toBeGreaterThan(5);
    const auditsSince = new Date(Date.now() - 30 * 86_400_000);
    for (const d of declarations) {
      expect(await warehouseRows(tenant, d.name, auditsSince), d.name).toStrictEqual(expectedRows(tenant.sim, d.name, auditsSince));
    }
  }, 180_000);
});
