import { expect } from "vitest";
import { declarations, expectedRows, warehouseRows } from "./expected.js";
import { kaivo } from "./kaivo.js";
import type { TestTenant } from "./tenant.js";

/**
 * The tables of a large test tenant: all but user_sign_in_activity, whose reads Graph allows 10 a
 * minute (a run and its rerun of 4,500 users would wait a minute for them).
 */
export const LARGE_TENANT_TABLES = declarations.map((d) => d.name).filter((name) => name !== "user_sign_in_activity");

/** Syncs again after an interrupted run: `table` resumes from its checkpoint, and every table of LARGE_TENANT_TABLES ends with exactly the tenant's data. */
export async function expectRerunResumesToTenantData(tenant: TestTenant, table: string): Promise<void> {
  const rerun = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
  expect(rerun.code, rerun.err).toBe(0);
  expect(rerun.err).toMatch(new RegExp(`^${table}: resuming the interrupted round from its checkpoint$`, "m"));
  const auditsSince = new Date(Date.now() - 30 * 86_400_000);
  for (const name of LARGE_TENANT_TABLES) {
    expect(await warehouseRows(tenant, name, auditsSince), name).toStrictEqual(expectedRows(tenant.sim, name, auditsSince));
  }
}
