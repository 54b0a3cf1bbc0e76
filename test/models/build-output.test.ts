import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kaivo } from "../support/kaivo.js";

const TABLES = fileURLToPath(new URL("../../tables", import.meta.url));

/** What `kaivo build` prints about data tests, in a project of its own with one model. */
describe("kaivo build's report on data tests", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kaivo-build-output-"));
    cpSync(TABLES, join(dir, "tables"), { recursive: true });
    mkdirSync(join(dir, "models"));
    const front = {
      description: "Two numbers.",
      columns: { n: { description: "A number.", tests: ["not_null"] } },
      tests: [
        { name: "no_twos", sql: "SELECT * FROM {{self}} WHERE n = 2" },
        { name: "cannot_run", sql: "SELECT error('the assertion itself is broken') AS e" },
      ],
    };
    writeFileSync(join(dir, "models", "numbers.sql"), `---\n${JSON.stringify(front)}\n---\nSELECT * FROM (VALUES (1), (2)) AS v(n)\n`);
    const config = { tenantId: "00000000-0000-0000-0000-000000000001", clientId: "00000000-0000-0000-0000-000000000002", warehouse: { type: "duckdb", path: join(dir, "w.duckdb") } };
    writeFileSync(join(dir, "kaivo.json"), JSON.stringify(config));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a failing test shows its failing rows; a test that cannot run shows DuckDB's error, not a count of rows", async () => {
    const build = await kaivo(["build"], { cwd: dir });
    expect(build.code).toBe(1);
    const lines = build.out.split("\n");
    expect(lines).toContain("  test no_twos failed: 1 failing row");
    expect(lines).toContain(`    {"n":2}`);
    const broken = lines.find((l) => l.startsWith("  test cannot_run"));
    expect(broken).toMatch(/^  test cannot_run error: DuckDB rejected a statement in .*w\.duckdb: Invalid Input Error: the assertion itself is broken$/);
    expect(build.out).toMatch(/1 of 1 models built in .*; 2 data tests failed\.\n$/);
    // While the tests run, a milestone on stderr says which model's tests are under way.
    expect(build.err).toBe("testing numbers (3 data tests)\n");
  });
});
