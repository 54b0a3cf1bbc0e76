import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { declarations, expectedRows, warehouseRows } from "../support/expected.js";
import { kaivo, type KaivoResult } from "../support/kaivo.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

describe.each(WAREHOUSES)("a first sync of a seeded tenant into %s", (warehouse) => {
  let tenant: TestTenant;
  let run: KaivoResult;
  let auditsSince: Date;

  beforeAll(async () => {
    tenant = await startTenant({ users: 80, seed: 11 }, { tables: Object.fromEntries(declarations.map((d) => [d.name, {}])) }, warehouse);
    auditsSince = new Date(Date.now() - 30 * 86_400_000);
    run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
  });
  afterAll(() => tenant.close());

  test("succeeds and prints a summary line per table", () => {
    expect(run.err).toBe(run.err.split("\n").filter((l) => !/failed/.test(l)).join("\n"));
    expect(run.code).toBe(0);
    for (const d of declarations) expect(run.out).toMatch(new RegExp(`^${d.name}\\s+ok\\s`, "m"));
    expect(run.out).toContain(`${declarations.length} of ${declarations.length} tables synced`);
  });

  test.each(declarations.map((d) => d.name))("%s holds exactly the tenant's objects, value by value", async (table) => {
    const expected = expectedRows(tenant.sim, table, auditsSince);
    expect(expected.length).toBeGreaterThan(0);
    expect(await warehouseRows(tenant, table, auditsSince)).toStrictEqual(expected);
  });
});
