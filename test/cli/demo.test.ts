import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { kaivo } from "../support/kaivo.js";

/** What a newcomer's first command does: `kaivo demo`, then `kaivo sql` on the file it wrote. */
describe("kaivo demo", () => {
  const dir = mkdtempSync(join(tmpdir(), "kaivo-demo-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("syncs a simulated tenant into a fresh DuckDB file, builds the models, and the file answers kaivo sql", async () => {
    const demo = await kaivo(["demo", "--users", "300", "--seed", "5", "--database", "demo.duckdb"], { cwd: dir });
    expect(demo.code, demo.out + demo.err).toBe(0);
    expect(demo.out).toMatch(/^Simulated tenant: 300 users \(seed 5\) at https:\/\/127\.0\.0\.1:\d+\/v1\.0$/m);
    expect(demo.out).toMatch(/^14 of 14 tables synced into .*demo\.duckdb in [\d.]+ s\.$/m);
    expect(demo.out).toMatch(/^25 of 25 models built in [\d.]+ s; all data tests passed\.$/m);
    expect(demo.out).toMatch(/^Who holds Global Administrator, and how \(view privileged_access\):\nHOLDER +TYPE +HOW +VIA GROUP +ENABLED\n/m);

    const sql = await kaivo(["sql", "--database", "demo.duckdb", "--json", "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM user_access_summary) AS reviewed"], { cwd: dir });
    expect(sql.code, sql.err).toBe(0);
    expect(JSON.parse(sql.out)).toStrictEqual([{ users: 300, reviewed: 300 }]);
  });
});
