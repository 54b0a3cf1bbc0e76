import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { DuckDbDestination } from "../../src/destinations/duckdb/duckdb-destination.js";
import { duckDbDialect } from "../../src/destinations/duckdb/duckdb-dialect.js";
import type { LeaseRecord } from "../../src/destinations/lease.js";
import { LEASE_KEY, STATE_TABLE } from "../../src/destinations/sql/sync-sql.js";
import { StateTable } from "../../src/destinations/state-table.js";

/**
 * The lease protocol as a warehouse without locks (BigQuery) runs it: each step a separate
 * statement, so another run's lease can land between any two of them. `rivalWrites` plays that
 * other run, writing its lease just after this run writes its own.
 */
let dir: string;
let destination: DuckDbDestination;
const now = new Date("2026-12-06T10:00:00Z");
const lease = { runId: "run-a", holder: "pid 1 on host-a", ttlMs: 600_000, tenantId: "t1" };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "kaivo-lease-"));
  destination = await DuckDbDestination.open({ path: join(dir, "w.duckdb") });
  await destination.prepare([]);
});
afterEach(async () => {
  await destination.close();
  rmSync(dir, { recursive: true, force: true });
});

function stateTable(rivalWrites?: () => Promise<void>): StateTable {
  const db = destination.handle;
  let leaseWritten = false;
  return new StateTable({
    dialect: duckDbDialect("main"),
    query: (sql) => db.query(sql),
    write: async (statements) => {
      await db.exclusive((s) => s.transaction(statements.map((sql) => ({ sql }))));
      if (!leaseWritten && statements.some((sql) => sql.startsWith(`INSERT INTO`) && sql.includes(LEASE_KEY))) {
        leaseWritten = true;
        await rivalWrites?.();
      }
    },
    now: () => now,
    location: "w.duckdb",
  });
}

/** Another host's lease row, taken at `acquiredAt`. */
function rivalLease(runId: string, acquiredAt: string, expiresAt = "2026-12-06T10:10:00Z"): () => Promise<void> {
  const record: LeaseRecord = { runId, holder: `pid 7 on host-b (${runId})`, host: "host-b", pid: 7, acquiredAt, expiresAt };
  return () => destination.handle.run(`INSERT INTO ${STATE_TABLE} VALUES ('${LEASE_KEY}', '${JSON.stringify(record)}', '${runId}', TIMESTAMPTZ '2026-12-06 10:00:00+00')`);
}

const leaseRuns = async () => (await destination.handle.query(`SELECT run_id FROM ${STATE_TABLE} WHERE table_name = '${LEASE_KEY}' ORDER BY run_id`)).map((r) => r.run_id);

test("two runs that both found no lease: the one that took it later withdraws, naming the other, and leaves no row behind", async () => {
  const acquire = stateTable(rivalLease("run-b", "2026-12-06T09:59:59.000Z")).acquireLease(lease);
  await expect(acquire).rejects.toMatchObject({ code: "KAIVO_LEASE_HELD", message: expect.stringContaining("Another kaivo run (pid 7 on host-b (run-b)) is syncing into w.duckdb") });
  expect(await leaseRuns()).toStrictEqual(["run-b"]);
});

test("two runs that both found no lease: the one that took it first keeps it", async () => {
  await stateTable(rivalLease("run-b", "2026-12-06T10:00:01.000Z")).acquireLease(lease);
  expect(await leaseRuns()).toStrictEqual(["run-a", "run-b"]);
  // The rival, reading back, finds run-a earlier and withdraws (it runs the same code): run-a holds the lease.
  await expect(stateTable().acquireLease({ ...lease, runId: "run-c" })).rejects.toMatchObject({ code: "KAIVO_LEASE_HELD", message: expect.stringContaining("(pid 1 on host-a)") });
});

test("leases that killed runs left behind are removed by the next run that takes one; a renewal keeps when the lease was taken", async () => {
  await rivalLease("run-expired", "2026-12-06T08:00:00.000Z", "2026-12-06T09:00:00Z")();
  const gone: LeaseRecord = { runId: "run-dead", holder: "a dead process", host: hostname(), pid: 4_194_399, acquiredAt: "2026-12-06T09:30:00.000Z", expiresAt: "2026-12-06T10:05:00Z" };
  await destination.handle.run(`INSERT INTO ${STATE_TABLE} VALUES ('${LEASE_KEY}', '${JSON.stringify(gone)}', 'run-dead', TIMESTAMPTZ '2026-12-06 09:30:00+00')`);
  const table = stateTable();
  await table.acquireLease(lease);
  expect(await leaseRuns()).toStrictEqual(["run-a"]);
  await table.writeLease(lease);
  const [row] = await destination.handle.query(`SELECT state FROM ${STATE_TABLE} WHERE table_name = '${LEASE_KEY}'`);
  expect(JSON.parse(String(row!.state))).toMatchObject({ runId: "run-a", acquiredAt: now.toISOString() });
});

test("state reset is refused while a run holds the lease: its next commit would write the state back", async () => {
  await rivalLease("run-b", "2026-12-06T09:59:00.000Z")();
  await expect(stateTable().reset([])).rejects.toMatchObject({ code: "KAIVO_LEASE_HELD" });
});
