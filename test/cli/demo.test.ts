import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DuckDbHandle } from "@kaivo/engine";
import { declarations } from "../support/expected.js";
import { kaivo } from "../support/kaivo.js";

/** What a newcomer's first command does: `kaivo demo`, then `kaivo sql` on the file it wrote. */
describe("kaivo demo", () => {
  const dir = mkdtempSync(join(tmpdir(), "kaivo-demo-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("syncs a simulated tenant into a fresh DuckDB file, builds the models, and the file answers kaivo sql", async () => {
    const demo = await kaivo(["demo", "--users", "300", "--seed", "5", "--database", "demo.duckdb"], { cwd: dir });
    expect(demo.code, demo.out + demo.err).toBe(0);
    expect(demo.out).toMatch(/^Simulated tenant: 300 users \(seed 5\) at https:\/\/127\.0\.0\.1:\d+\/v1\.0$/m);
    expect(demo.out).toMatch(new RegExp(`^${declarations.length} of ${declarations.length} tables synced into .*demo\\.duckdb in [\\d.]+ s\\.$`, "m"));
    expect(demo.out).toMatch(/^26 of 26 models built in [\d.]+ s; all data tests passed\.$/m);
    expect(demo.out).toMatch(/^Who holds Global Administrator, or can take it as a group's owner, and how \(view privileged_access\):\nHOLDER +TYPE +HOW +VIA GROUP +ENABLED\n/m);

    const sql = await kaivo(["sql", "--database", "demo.duckdb", "--json", "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM user_access_summary) AS reviewed"], { cwd: dir });
    expect(sql.code, sql.err).toBe(0);
    expect(JSON.parse(sql.out)).toStrictEqual([{ users: 300, reviewed: 300 }]);
  });

  test("replaces its own earlier file, and refuses any other: a synced warehouse or a file that is no DuckDB database", async () => {
    const again = await kaivo(["demo", "--users", "100", "--seed", "6", "--database", "demo.duckdb"], { cwd: dir });
    expect(again.code, again.err).toBe(0);
    expect((await kaivo(["sql", "--database", "demo.duckdb", "--json", "SELECT count(*) AS n FROM users"], { cwd: dir })).out).toBe(`[{"n":100}]\n`);

    const synced = join(dir, "kaivo.duckdb");
    const db = await DuckDbHandle.open(synced);
    await db.run("CREATE TABLE users AS SELECT 'real' AS id");
    await db.close();
    writeFileSync(join(dir, "notes.txt"), "keep me");
    for (const file of ["kaivo.duckdb", "notes.txt"]) {
      const refused = await kaivo(["demo", "--users", "100", "--database", file], { cwd: dir });
      expect(refused.code).toBe(2);
      expect(refused.out).toBe("");
      expect(refused.err).toBe(
        `error: --database: ${join(dir, file)} exists and kaivo demo did not write it; the demo replaces only its own file\nhint: Pass --database <new file> (e.g. --database demo.duckdb), or delete that file yourself if you no longer need it.\n`,
      );
    }
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("keep me");
    expect((await kaivo(["sql", "--json", "SELECT id FROM users"], { cwd: dir })).out).toBe(`[{"id":"real"}]\n`);

    // Into the BigQuery emulator, the demo leaves the local file alone.
    const bigquery = await kaivo(["demo", "--users", "50", "--warehouse", "bigquery"], { cwd: dir });
    expect(bigquery.code, bigquery.err).toBe(0);
    expect((await kaivo(["sql", "--json", "SELECT id FROM users"], { cwd: dir })).out).toBe(`[{"id":"real"}]\n`);
  }, 60_000);

  test("--database with --warehouse bigquery is refused: the demo would sync into the emulator and ignore the file", async () => {
    const refused = await kaivo(["demo", "--users", "10", "--warehouse", "bigquery", "--database", "mine.duckdb"], { cwd: dir });
    expect(refused.err).toBe("error: --database: names a DuckDB file, but --warehouse bigquery syncs into the BigQuery emulator\nhint: Leave out --database, or --warehouse for a DuckDB file.\n");
    expect(refused.code).toBe(2);
  });

  test("a sync configured into the demo's file (kaivo init's default path is the demo's) is refused: the tenants would mix", async () => {
    const config = { tenantId: "11111111-2222-3333-4444-555555555555", clientId: "66666666-7777-8888-9999-000000000000", tables: { users: {} }, warehouse: { type: "duckdb", path: "demo.duckdb" } };
    writeFileSync(join(dir, "kaivo.json"), JSON.stringify(config));
    const run = await kaivo(["run"], { cwd: dir, env: { AZURE_CLIENT_SECRET: "s" } });
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      `error: ${join(dir, "kaivo.json")} at /warehouse/path: ${join(dir, "demo.duckdb")} holds the simulated tenant kaivo demo wrote; syncing tenant ${config.tenantId} into it would mix the two\nhint: Point warehouse.path at a file of its own (e.g. "entraid.duckdb"), or delete the demo's file if you no longer need it.\n`,
    );
    expect((await kaivo(["sql", "--database", "demo.duckdb", "--json", "SELECT count(*) AS n FROM users"], { cwd: dir })).out).toBe(`[{"n":100}]\n`);
  });
});
