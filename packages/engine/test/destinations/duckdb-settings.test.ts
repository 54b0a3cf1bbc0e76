import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { checkpointThreshold, DuckDbHandle, memoryLimits } from "../../src/destinations/duckdb/duckdb-connection.js";

describe("checkpointThreshold", () => {
  test("is a quarter of DuckDB's memory limit, in any unit DuckDB accepts", () => {
    expect(checkpointThreshold("256MB")).toBe("64MB");
    expect(checkpointThreshold("1GB")).toBe("250MB");
    expect(checkpointThreshold("2 GiB")).toBe("536MB");
    expect(checkpointThreshold("800000KB")).toBe("200MB");
  });

  test("never drops below 16MB, and falls back to the default limit's for a value it cannot read", () => {
    expect(checkpointThreshold("16MB")).toBe("16MB");
    expect(checkpointThreshold("80%")).toBe("64MB");
  });
});

const dir = mkdtempSync(join(tmpdir(), "kaivo-duckdb-settings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("DuckDB's memory limit", () => {
  const limitInEffect = async (db: DuckDbHandle) => String((await db.query("SELECT current_setting('memory_limit') AS m"))[0]?.m);

  test("is 256MB while syncing and DuckDB's own default for queries and models, unless KAIVO_DUCKDB_MEMORY_LIMIT sets both", () => {
    expect(memoryLimits({})).toStrictEqual({ sync: "256MB", queries: undefined });
    expect(memoryLimits({ KAIVO_DUCKDB_MEMORY_LIMIT: " 1GB " })).toStrictEqual({ sync: "1GB", queries: "1GB" });
  });

  test("follows the work the file is opened for, and the handle names the limit in effect", async () => {
    const db = await DuckDbHandle.open(join(dir, "a.duckdb"));
    try {
      const duckDbDefault = await limitInEffect(db);
      // 80% of this machine's memory: far above the sync's limit (256MB is 244.1 MiB to DuckDB).
      expect(duckDbDefault).not.toBe("244.1 MiB");
      expect(db.memoryLimit).toBe("80% of RAM (DuckDB's default)");
      await db.useSettingsFor("sync");
      expect(await limitInEffect(db)).toBe("244.1 MiB");
      expect(db.memoryLimit).toBe("256MB");
      await db.useSettingsFor("queries");
      expect(await limitInEffect(db)).toBe(duckDbDefault);
      expect(db.memoryLimit).toBe("80% of RAM (DuckDB's default)");
    } finally {
      await db.close();
    }
  });
});

describe("DuckDB's allocator", () => {
  test("hands idle caches back to the system on a background thread", async () => {
    const db = await DuckDbHandle.open(join(dir, "b.duckdb"));
    try {
      const [row] = await db.query("SELECT current_setting('allocator_background_threads') AS v");
      expect(row?.v).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe("a statement that fails while it runs", () => {
  test("rejects with DuckDB's own message, and the transaction around it leaves nothing behind", async () => {
    const db = await DuckDbHandle.open(join(dir, "c.duckdb"));
    try {
      await db.run("CREATE TABLE t (n INTEGER)");
      // Fails in execution, not when it is planned: a scalar subquery that returns two rows.
      const failing = "INSERT INTO t SELECT (SELECT 1 UNION ALL SELECT 2)";
      await expect(db.run(failing)).rejects.toThrow(/^Invalid Input Error: More than one row returned by a subquery/);
      await expect(db.exclusive((s) => s.transaction([{ sql: "INSERT INTO t VALUES (1)" }, { sql: failing }]))).rejects.toThrow(/^Invalid Input Error: /);
      expect(await db.query("SELECT count(*)::INTEGER AS n FROM t")).toStrictEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });
});
