import { expect } from "vitest";
import { declarations, expectedRows, warehouseRows } from "./expected.js";
import { kaivo } from "./kaivo.js";
import type { TestTenant } from "./tenant.js";

/** Syncs again after an interrupted run: `table` resumes from its checkpoint, and every table ends with exactly the tenant's data. */
export async function expectRerunResumesToTenantData(tenant: TestTenant, table: string): Promise<void> {
  const rerun = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
  expect(rerun.code, rerun.err).toBe(0);
  expect(rerun.err).toMatch(new RegExp(`^${table}: resuming the interrupted round from its checkpoint$`, "m"));
  const auditsSince = new Date(Date.now() - 30 * 86_400_000);
  for (const d of declarations) {
    expect(await warehouseRows(tenant, d.name, auditsSince), d.name).toStrictEqual(expectedRows(tenant.sim, d.name, auditsSince));
  }
}
