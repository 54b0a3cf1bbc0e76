import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { spawnKaivo } from "../support/kaivo.js";
import { expectRerunResumesToTenantData, LARGE_TENANT_TABLES } from "../support/resume.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

describe.each(WAREHOUSES)("crash recovery, syncing into %s", (warehouse) => {
  let tenant: TestTenant;

  beforeAll(async () => {
    // Latency and small batches make the run long enough to be killed between checkpoints. Users
    // arrive in list pages of 999 (initialRound "list"): five pages, a checkpoint after each.
    tenant = await startTenant(
      { users: 4500, seed: 31, deltaPageSize: 50, latencyMs: 15 },
      { tables: Object.fromEntries(LARGE_TENANT_TABLES.map((name) => [name, {}])), sync: { batchRows: 20 } },
      warehouse,
    );
  });
  afterAll(() => tenant.close());

  test("a run killed with SIGKILL mid-sync, then run again, ends with exactly the tenant's data", async () => {
    // A temporary folder of this test's own, for the killed run and the rerun below (which stages
    // its files in this process): another test's run would otherwise remove the killed run's files first.
    const staging = mkdtempSync(join(tmpdir(), "kaivo-crash-tmp-"));
    const child = spawnKaivo(["run", "--json"], { cwd: tenant.dir, env: { ...tenant.env, TMPDIR: staging } });
    const stagedBy = (pid: number | undefined) => readdirSync(staging).filter((name) => new RegExp(`^kaivo-run-${pid}\\.\\d+@${hostname()}-`).test(name));
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        // Kill once users has committed a few checkpoints, mid-round.
        const checkpoints = out
          .split("\n")
          .filter((l) => l.includes('"table.committed"') && l.includes('"table":"users"') && l.includes('"checkpoint":true')).length;
        if (checkpoints >= 2) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => resolve());
      child.on("error", reject);
    });
    await new Promise((r) => child.once("exit", r));
    expect(child.signalCode, `the run must still have been going when killed:\n${out.slice(-2000)}`).toBe("SIGKILL");

    // State is never ahead of data: a checkpoint stands only behind rows that were committed with it.
    const [state] = await tenant.query((t) => `SELECT state FROM ${t("_kaivo_state")} WHERE table_name = 'users'`);
    const users = JSON.parse(String(state!.state)) as { deltaLink?: string | null; checkpoint?: { nextLink: string; deltaLink?: string } | null };
    const stored = Number((await tenant.query((t) => `SELECT count(*) AS n FROM ${t("users")}`))[0]!.n);
    expect(users.deltaLink ?? null).toBeNull();
    expect(users.checkpoint?.nextLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?/);
    // The link the list round will end with was taken before it began, and waits in the checkpoint.
    expect(users.checkpoint?.deltaLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\/delta\?\$deltatoken=/);
    expect(stored).toBeGreaterThanOrEqual(2 * 999);
    expect(stored).toBeLessThan(4500);

    // The killed run's staged files (directory data) stay behind until the next run removes them.
    expect(stagedBy(child.pid)).toHaveLength(1);
    const ownTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    try {
      await expectRerunResumesToTenantData(tenant, "users");
    } finally {
      if (ownTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = ownTmpdir;
    }
    expect(stagedBy(child.pid)).toStrictEqual([]);
    rmSync(staging, { recursive: true, force: true });
    const duplicates = await tenant.query((t) => `SELECT count(*) - count(DISTINCT id) AS n FROM ${t("users")}`);
    expect(duplicates).toStrictEqual([{ n: 0 }]);
  }, 180_000);
});
