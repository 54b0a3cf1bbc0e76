import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { TableDeclaration } from "@kaivo/codegen";
import { DuckDbDestination } from "../../src/destinations/duckdb/duckdb-destination.js";
import type { Destination, TableWrite } from "../../src/destinations/destination.js";
import { planTable, type TableTarget } from "../../src/plan/table-plan.js";
import { PendingRows, RecordProcessor } from "../../src/sync/commit-unit.js";
import type { StagedRow } from "../../src/sync/staged-row.js";

const people: TableDeclaration = {
  name: "people",
  description: "test",
  file: "people.json",
  source: { path: "/people", deltaPath: "/people/delta", permission: "People.Read.All", select: true },
  sync: { mode: "delta" },
  primaryKey: ["id"],
  schema: {
    type: "object",
    properties: {
      id: { type: "string" },
      displayName: { type: ["string", "null"] },
      accountEnabled: { type: ["boolean", "null"] },
      createdDateTime: { type: ["string", "null"], format: "date-time" },
      tags: { type: "array", items: { type: "string" } },
      manager: { type: ["object", "null"], properties: { id: { type: "string" }, since: { type: ["string", "null"], format: "date-time" } } },
    },
  },
};
const snapshot: TableDeclaration = { ...people, name: "snapshot", source: { path: "/snapshot", permission: "People.Read.All" }, sync: { mode: "full_refresh" } };

let dir: string;
let destination: Destination;
const target = (d: TableDeclaration): TableTarget => planTable(d, [d]).target;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "kaivo-dest-"));
  destination = await DuckDbDestination.open({ path: join(dir, "w.duckdb") });
  await destination.prepare([target(people), target(snapshot)]);
});
afterEach(async () => {
  await destination.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Stages Graph records (objects, or `{id, "@removed": {reason}}`) the way the table runner does. */
async function stage(d: TableDeclaration, syncedAt: string, records: Array<Record<string, unknown>>, mode: TableWrite["mode"] = "merge", sweep?: string, complete = false): Promise<TableWrite> {
  const t = target(d);
  const processor = new RecordProcessor(t, d);
  const rows = new PendingRows(t, syncedAt, dir);
  for (const r of records) {
    const removed = r["@removed"] as { reason: string } | undefined;
    const row = removed ? processor.removal(r, removed.reason) : processor.upsert({ ...r }, complete);
    if (!("op" in row)) throw new Error(`rejected: ${row.reason}`);
    rows.add(row);
  }
  return rows.take(mode, sweep);
}

async function rows(table: string): Promise<unknown[]> {
  const duck = destination as DuckDbDestination;
  const removed = table === "snapshot" ? "NULL" : "_kaivo_deleted_reason";
  return (await duck.handle.query(`SELECT id, display_name, account_enabled, strftime(created_date_time, '%Y-%m-%dT%H:%M:%S.%f') AS created, tags, manager, ${removed} AS removed FROM ${table} ORDER BY id`)).map((r) => ({ ...r }));
}

describe("DuckDB destination", () => {
  test("a partial object patches only the properties it carries; a present null clears", async () => {
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(people, "2025-01-01T00:00:00Z", [
      { id: "a", displayName: "Ana", accountEnabled: true, createdDateTime: "2024-05-06T07:08:09.1234567Z", tags: ["x"], manager: { id: "m", since: "0001-01-01T00:00:00Z" } },
    ])] });
    const counts = await destination.commit({ runId: "r2", rejects: [], states: [], writes: [await stage(people, "2025-01-02T00:00:00Z", [{ id: "a", accountEnabled: null }])] });
    expect(counts.get("people")).toStrictEqual({ inserted: 0, updated: 1, deleted: 0 });
    expect(await rows("people")).toStrictEqual([
      { id: "a", display_name: "Ana", account_enabled: null, created: "2024-05-06T07:08:09.123456", tags: ["x"], manager: { id: "m", since: null }, removed: null },
    ]);
  });

  test("the same object twice in one batch folds in order; @removed marks deleted and a later upsert restores", async () => {
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(people, "2025-01-01T00:00:00Z", [
      { id: "a", displayName: "Ana", tags: [] },
      { id: "a", accountEnabled: false },
      { id: "b", displayName: "Bo" },
    ])] });
    const removal = await destination.commit({ runId: "r2", rejects: [], states: [], writes: [await stage(people, "2025-01-02T00:00:00Z", [{ id: "b", "@removed": { reason: "changed" } }, { id: "zz", "@removed": { reason: "deleted" } }])] });
    expect(removal.get("people")).toStrictEqual({ inserted: 0, updated: 0, deleted: 1 });
    expect(await rows("people")).toMatchObject([
      { id: "a", display_name: "Ana", account_enabled: false, removed: null },
      { id: "b", display_name: "Bo", removed: "changed" },
    ]);
    await destination.commit({ runId: "r3", rejects: [], states: [], writes: [await stage(people, "2025-01-03T00:00:00Z", [{ id: "b", displayName: "Bo 2" }])] });
    expect(await rows("people")).toMatchObject([{ id: "a" }, { id: "b", display_name: "Bo 2", removed: null }]);
  });

  test("a key staged again after a spill keeps its last row; the merge counts each key once, as inserted or updated", async () => {
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(people, "2025-01-01T00:00:00Z", [{ id: "a", displayName: "Ana" }])] });
    const t = target(people);
    const processor = new RecordProcessor(t, people);
    const pending = new PendingRows(t, "2025-01-02T00:00:00Z", dir);
    const spills = [
      [{ id: "a", displayName: "Ana 2" }, { id: "b", displayName: "Bo" }],
      [{ id: "b", displayName: "Bo 2" }, { id: "c", displayName: "Cy" }],
    ];
    for (const records of spills) {
      for (const r of records) pending.add(processor.upsert({ ...r }, true) as StagedRow);
      await pending.spill();
    }
    const write = await pending.take("merge");
    expect(write).toMatchObject({ rows: 4, deletes: 0, partials: 0, keysUnique: false });
    const counts = await destination.commit({ runId: "r2", rejects: [], states: [], writes: [write] });
    expect(counts.get("people")).toStrictEqual({ inserted: 2, updated: 1, deleted: 0 });
    expect((await rows("people")).map((r) => (r as { display_name: string }).display_name)).toStrictEqual(["Ana 2", "Bo 2", "Cy"]);
    // The next write starts afresh: its keys are unique again.
    for (const r of [{ id: "a" }, { id: "d" }]) pending.add(processor.upsert({ ...r }, true) as StagedRow);
    expect(await pending.take("merge")).toMatchObject({ rows: 2, deletes: 0, keysUnique: true });
  });

  test("a spill does not wait for its own rows to reach the disk; a failed write fails the next spill and the take", async () => {
    const t = target(people);
    const processor = new RecordProcessor(t, people);
    const pending = new PendingRows(t, "2025-01-01T00:00:00Z", join(dir, "missing"));
    pending.add(processor.upsert({ id: "a" }, true) as StagedRow);
    await pending.spill();
    expect(pending.inMemory).toBe(0);
    pending.add(processor.upsert({ id: "b" }, true) as StagedRow);
    await expect(pending.spill()).rejects.toMatchObject({ code: "KAIVO_STAGING_FOLDER_UNUSABLE", cause: { code: "ENOENT" } });
    await expect(pending.take("merge")).rejects.toMatchObject({ code: "KAIVO_STAGING_FOLDER_UNUSABLE", cause: { code: "ENOENT" } });
  });

  test("a complete object (initial round) clears properties it omits; a partial one keeps them", async () => {
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(people, "2025-01-01T00:00:00Z", [{ id: "a", displayName: "Ana", accountEnabled: true }])] });
    await destination.commit({ runId: "r2", rejects: [], states: [], writes: [await stage(people, "2025-01-02T00:00:00Z", [{ id: "a", displayName: "Ana 2" }])] });
    expect(await rows("people")).toMatchObject([{ id: "a", display_name: "Ana 2", account_enabled: true }]);
    await destination.commit({ runId: "r3", rejects: [], states: [], writes: [await stage(people, "2025-01-03T00:00:00Z", [{ id: "a", displayName: "Ana 3" }], "merge", undefined, true)] });
    expect(await rows("people")).toMatchObject([{ id: "a", display_name: "Ana 3", account_enabled: null, tags: [] }]);
  });

  test("a write of complete upserts only (partials 0) overwrites every column of a matched row and restores a removed one", async () => {
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(people, "2025-01-01T00:00:00Z", [{ id: "a", displayName: "Ana", tags: ["x"] }, { id: "b", displayName: "Bo" }])] });
    await destination.commit({ runId: "r2", rejects: [], states: [], writes: [await stage(people, "2025-01-02T00:00:00Z", [{ id: "b", "@removed": { reason: "deleted" } }])] });
    const partial = await stage(people, "2025-01-03T00:00:00Z", [{ id: "a", accountEnabled: false }]);
    expect(partial).toMatchObject({ deletes: 0, partials: 1 });
    const complete = await stage(people, "2025-01-03T00:00:00Z", [{ id: "a", accountEnabled: false }, { id: "b", displayName: "Bo 2" }, { id: "c" }], "merge", undefined, true);
    expect(complete).toMatchObject({ rows: 3, deletes: 0, partials: 0 });
    const counts = await destination.commit({ runId: "r3", rejects: [], states: [], writes: [complete] });
    expect(counts.get("people")).toStrictEqual({ inserted: 1, updated: 2, deleted: 0 });
    expect(await rows("people")).toStrictEqual([
      { id: "a", display_name: null, account_enabled: false, created: null, tags: [], manager: null, removed: null },
      { id: "b", display_name: "Bo 2", account_enabled: null, created: null, tags: [], manager: null, removed: null },
      { id: "c", display_name: null, account_enabled: null, created: null, tags: [], manager: null, removed: null },
    ]);
  });

  test("an append inserts the keys not stored yet and leaves stored rows as they are; only those it adds count", async () => {
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(people, "2025-01-01T00:00:00Z", [{ id: "a", displayName: "Ana" }], "append", undefined, true)] });
    const again = await stage(people, "2025-01-02T00:00:00Z", [{ id: "a", displayName: "Ana?" }, { id: "b", displayName: "Bo" }, { id: "b", displayName: "Bo" }], "append", undefined, true);
    expect(again).toMatchObject({ mode: "append", rows: 3, keysUnique: false });
    const counts = await destination.commit({ runId: "r2", rejects: [], states: [], writes: [again] });
    expect(counts.get("people")).toStrictEqual({ inserted: 1, updated: 0, deleted: 0 });
    expect((await rows("people")).map((r) => (r as { display_name: string }).display_name)).toStrictEqual(["Ana", "Bo"]);
  });

  test("rows ended with their removed parent, then restored by a later commit of the same run, are no change over the run", async () => {
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(people, "2025-01-01T00:00:00Z", [{ id: "a" }, { id: "b" }])] });
    const runAt = "2025-01-02T00:00:00Z";
    // The parent "a" (here the row's own key) removed: its rows end. A later commit brings "a" back.
    const ended = { ...(await stage(people, runAt, [{ id: "b", displayName: "Bo" }])), endedParents: { column: "id", beforeMerge: {}, afterMerge: { changed: ["a"] } } };
    const first = await destination.commit({ runId: "r2", rejects: [], states: [], writes: [ended] });
    expect(first.get("people")).toStrictEqual({ inserted: 0, updated: 1, deleted: 1 });
    expect(await rows("people")).toMatchObject([{ id: "a", removed: "changed" }, { id: "b", removed: null }]);
    const restored = await destination.commit({ runId: "r2", rejects: [], states: [], writes: [await stage(people, runAt, [{ id: "a" }])] });
    expect(restored.get("people")).toStrictEqual({ inserted: 0, updated: 0, deleted: -1 });
    expect(await rows("people")).toMatchObject([{ id: "a", removed: null }, { id: "b", removed: null }]);
  });

  test("the end of an initial round marks rows it did not see as vanished", async () => {
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(people, "2025-01-01T00:00:00Z", [{ id: "a" }, { id: "b" }])] });
    const counts = await destination.commit({ runId: "r2", rejects: [], states: [], writes: [await stage(people, "2025-02-01T00:00:00Z", [{ id: "a" }], "merge", "2025-02-01T00:00:00Z")] });
    expect(counts.get("people")).toStrictEqual({ inserted: 0, updated: 1, deleted: 1 });
    expect(await rows("people")).toMatchObject([{ id: "a", removed: null }, { id: "b", removed: "vanished" }]);
  });

  test("a full refresh replaces the table and counts what came, stayed and went", async () => {
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(snapshot, "2025-01-01T00:00:00Z", [{ id: "a" }, { id: "b" }], "replace")] });
    const counts = await destination.commit({ runId: "r2", rejects: [], states: [], writes: [await stage(snapshot, "2025-01-02T00:00:00Z", [{ id: "b", displayName: "B" }, { id: "c" }], "replace")] });
    expect(counts.get("snapshot")).toStrictEqual({ inserted: 1, updated: 1, deleted: 1 });
    expect((await rows("snapshot")).map((r) => (r as { id: string }).id)).toStrictEqual(["b", "c"]);
  });

  test("data, rejects and state commit together; a failing statement leaves all three untouched", async () => {
    await destination.commit({
      runId: "r1",
      writes: [await stage(people, "2025-01-01T00:00:00Z", [{ id: "a" }])],
      rejects: [{ table: "people", recordId: "q", reason: "/accountEnabled must be boolean", rawJson: '{"id":"q","accountEnabled":"yes"}' }],
      states: [{ table: "people", state: { deltaLink: "https://graph/delta?token=1" } }],
    });
    const bad = await stage(people, "2025-01-02T00:00:00Z", [{ id: "b" }]);
    writeFileSync(bad.files[0]!, '{"id": "b", "created_date_time": "not a time", "_kaivo_op": "upsert", "_kaivo_present": [], "_kaivo_seq": 1, "_kaivo_synced_at": "2025-01-02T00:00:00Z"}\n');
    await expect(destination.commit({ runId: "r2", writes: [bad], rejects: [], states: [{ table: "people", state: { deltaLink: "https://graph/delta?token=2" } }] })).rejects.toThrow();
    expect((await rows("people")).map((r) => (r as { id: string }).id)).toStrictEqual(["a"]);
    expect(await destination.readState("people")).toStrictEqual({ deltaLink: "https://graph/delta?token=1" });
    const rejects = await (destination as DuckDbDestination).handle.query("SELECT table_name, record_id, reason FROM _kaivo_rejects");
    expect(rejects).toStrictEqual([{ table_name: "people", record_id: "q", reason: "/accountEnabled must be boolean" }]);
  });

  test("rejects keep one row per distinct record, stamped by the run that last rejected it", async () => {
    const q = { table: "people", recordId: "q", reason: "/accountEnabled must be boolean", rawJson: '{"id":"q","accountEnabled":"yes"}' };
    const changed = { ...q, rawJson: '{"id":"q","accountEnabled":"no"}' };
    const noId = { table: "people", recordId: null, reason: "must have required property 'id'", rawJson: '{"displayName":"x"}' };
    const commitRejects = (runId: string, rejects: Array<typeof q | typeof noId>) => destination.commit({ runId, writes: [], rejects, states: [] });
    await commitRejects("r1", [q, q, noId, noId]);
    await commitRejects("r2", [q, noId, changed]);
    const stored = await (destination as DuckDbDestination).handle.query("SELECT record_id, raw_json, run_id FROM _kaivo_rejects ORDER BY record_id NULLS FIRST, raw_json");
    expect(stored).toStrictEqual([
      { record_id: null, raw_json: noId.rawJson, run_id: "r2" },
      { record_id: "q", raw_json: changed.rawJson, run_id: "r2" },
      { record_id: "q", raw_json: q.rawJson, run_id: "r2" },
    ]);
  });

  test("rejectedNotStored counts the rejected records a table holds no row of, a record without an id once per row", async () => {
    const reject = (recordId: string | null, rawJson: string) => ({ table: "people", recordId, reason: "/accountEnabled must be boolean", rawJson });
    await destination.commit({
      runId: "r1",
      writes: [await stage(people, "2025-01-01T00:00:00Z", [{ id: "stored" }])],
      rejects: [reject("stored", '{"id":"stored","v":1}'), reject("gone", '{"id":"gone","v":1}'), reject("gone", '{"id":"gone","v":2}'), reject(null, '{"v":1}'), reject(null, '{"v":2}'), { ...reject("s", "{}"), table: "snapshot" }],
      states: [],
    });
    expect(await destination.rejectedNotStored([target(people)])).toStrictEqual(new Map([["people", 3]]));
    expect(await destination.rejectedNotStored([target(people), target(snapshot)])).toStrictEqual(new Map([["people", 3], ["snapshot", 1]]));
    await destination.commit({ runId: "r2", writes: [await stage(snapshot, "2025-01-02T00:00:00Z", [{ id: "s" }], "replace")], rejects: [], states: [] });
    expect(await destination.rejectedNotStored([target(people), target(snapshot)])).toStrictEqual(new Map([["people", 3]]));
  });

  test("a newly selected column is added; nothing is dropped", async () => {
    const narrow = planTable(people, [people], { columns: { people: ["id", "displayName"] } }).target;
    const other = await DuckDbDestination.open({ path: join(dir, "narrow.duckdb") });
    await other.prepare([narrow]);
    await other.prepare([target(people)]);
    const columns = await other.handle.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'people' ORDER BY ordinal_position");
    expect(columns.map((c) => c.column_name)).toStrictEqual(["id", "display_name", "_kaivo_synced_at", "_kaivo_deleted_at", "_kaivo_deleted_reason", "account_enabled", "created_date_time", "tags", "manager"]);
    await other.close();
  });

  test("a RECORD that gains sub-fields (in a list of records too) takes them, keeping its rows; one that loses a sub-field keeps it; a retyped sub-field is refused", async () => {
    const evolved = (edit: (p: Record<string, any>) => void): TableDeclaration => {
      const d = structuredClone(people);
      edit(d.schema.properties as Record<string, any>);
      return d;
    };
    await destination.commit({ runId: "r1", rejects: [], states: [], writes: [await stage(people, "2025-01-01T00:00:00Z", [{ id: "a", manager: { id: "m1" } }])] });
    const wider = evolved((p) => {
      p.manager.properties.displayName = { type: ["string", "null"] };
      p.licenses = { type: "array", items: { type: "object", properties: { skuId: { type: "string" } } } };
    });
    await destination.prepare([target(wider)]);
    await destination.commit({ runId: "r2", rejects: [], states: [], writes: [await stage(wider, "2025-01-02T00:00:00Z", [{ id: "b", manager: { id: "m2", displayName: "Boss" } }])] });
    expect((await rows("people")).map((r: any) => [r.id, r.manager])).toStrictEqual([["a", { id: "m1", since: null, display_name: null }], ["b", { id: "m2", since: null, display_name: "Boss" }]]);

    const widerList = evolved((p) => {
      p.manager.properties.displayName = { type: ["string", "null"] };
      p.licenses = { type: "array", items: { type: "object", properties: { skuId: { type: "string" }, state: { type: ["string", "null"] } } } };
      delete p.manager.properties.since;
    });
    await destination.prepare([target(widerList)]);
    const types = await (destination as DuckDbDestination).handle.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'people' AND column_name IN ('manager', 'licenses') ORDER BY column_name");
    expect(types).toStrictEqual([
      { column_name: "licenses", data_type: "STRUCT(sku_id VARCHAR, state VARCHAR)[]" },
      { column_name: "manager", data_type: "STRUCT(id VARCHAR, since TIMESTAMP WITH TIME ZONE, display_name VARCHAR)" },
    ]);

    const retyped = evolved((p) => (p.manager.properties.id = { type: "integer" }));
    await expect(destination.prepare([target(retyped)])).rejects.toMatchObject({ code: "KAIVO_COLUMN_TYPE_CHANGED", message: expect.stringMatching(/^people\.manager is STRUCT\(id VARCHAR, since .*, but its declaration \(tables\/people\.json\) now makes it STRUCT\("id" BIGINT/) });
  });

  test("running out of DuckDB's memory fails the commit with a hint naming the setting, and leaves table and state as they were", async () => {
    const before = process.env.KAIVO_DUCKDB_MEMORY_LIMIT;
    process.env.KAIVO_DUCKDB_MEMORY_LIMIT = "16MB";
    const starved = await DuckDbDestination.open({ path: join(dir, "starved.duckdb") }).finally(() => {
      if (before === undefined) delete process.env.KAIVO_DUCKDB_MEMORY_LIMIT;
      else process.env.KAIVO_DUCKDB_MEMORY_LIMIT = before;
    });
    try {
      await starved.prepare([target(people)]);
      const many = Array.from({ length: 20_000 }, (_, i) => ({ id: `u${i}`, displayName: `${"x".repeat(1000)}${i}`, tags: ["a", "b"] }));
      const commit = starved.commit({ runId: "r1", rejects: [], states: [{ table: "people", state: { deltaLink: "https://graph/delta?token=1" } }], writes: [await stage(people, "2025-01-01T00:00:00Z", many, "merge", undefined, true)] });
      await expect(commit).rejects.toMatchObject({
        code: "KAIVO_WAREHOUSE_FAILED",
        message: expect.stringMatching(/^DuckDB rejected a statement in .*starved\.duckdb: Out of Memory Error/),
        hint: "DuckDB may use 16MB here; set KAIVO_DUCKDB_MEMORY_LIMIT to more (e.g. 1GB) and run again: committed tables resume where they stopped.",
      });
      expect(await starved.handle.query("SELECT count(*) AS n FROM people")).toStrictEqual([{ n: 0n }]);
      expect(await starved.readState("people")).toBeUndefined();
    } finally {
      await starved.close();
    }
  });
});

