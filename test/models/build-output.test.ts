import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DuckDbHandle } from "@kaivo/engine";
import { kaivo } from "../support/kaivo.js";

const TABLES = fileURLToPath(new URL("../../tables", import.meta.url));

/** What `kaivo build` prints about data tests, in a project of its own with one model. */
describe("kaivo build's report on data tests", () => {
  let dir: string;

  beforeAll(async () => {
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
    // Only the warehouse: building never signs in to Graph.
    const config = { warehouse: { type: "duckdb", path: join(dir, "w.duckdb") } };
    writeFileSync(join(dir, "kaivo.json"), JSON.stringify(config));
    // The model reads no synced table, but building needs a warehouse file to build in.
    await (await DuckDbHandle.open(join(dir, "w.duckdb"))).close();
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
    expect(build.out).toMatch(/1 of 1 models built in .*; 1 data tests failed; 1 data tests could not run\.\n$/);
    // While the tests run, a milestone on stderr says which model's tests are under way.
    expect(build.err).toBe("testing numbers (3 data tests)\n");
  });

  test("on a terminal the milestone is one line, rewritten for each model and cleared before the report", async () => {
    const build = await kaivo(["build"], { cwd: dir, tty: true, env: { NO_COLOR: "" } });
    expect(build.err).toBe("\r\x1b[2Ktesting numbers (3 data tests)\r\x1b[2K");
    expect(build.out).toContain("  test no_twos failed: 1 failing row");
  });
});

/** A project whose config names only a DuckDB warehouse: what works without the app registration, and what says it is missing. */
describe("commands on a config without an app registration", () => {
  let dir: string;
  let database: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kaivo-no-app-"));
    cpSync(TABLES, join(dir, "tables"), { recursive: true });
    database = join(dir, "w.duckdb");
    writeFileSync(join(dir, "kaivo.json"), JSON.stringify({ warehouse: { type: "duckdb", path: "w.duckdb" } }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("build and the state commands refuse a warehouse file that does not exist, and create none", async () => {
    for (const args of [["build"], ["state", "show"], ["state", "reset"]]) {
      const result = await kaivo(args, { cwd: dir });
      expect(result.err).toBe(`error: ${join(dir, "kaivo.json")} at /warehouse/path: ${database} does not exist\nhint: Run \`npx kaivo run\` or \`npx kaivo demo\` first, or set warehouse.path to the DuckDB file they wrote.\n`);
      expect(result.code).toBe(2);
    }
    expect(existsSync(database)).toBe(false);
  });

  test("sql names the flag when its file is not a DuckDB database", async () => {
    writeFileSync(join(dir, "notes.txt"), "not a database");
    const result = await kaivo(["sql", "--database", "notes.txt", "SELECT 1"], { cwd: dir });
    expect(result.err).toBe(
      `error: --database: cannot open the DuckDB warehouse ${join(dir, "notes.txt")}: it is not a DuckDB database file\nhint: Give the path of a DuckDB file (or of one to create) in a folder that exists and that you can write to.\n`,
    );
    expect(result.code).toBe(2);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("not a database");
  });

  test("sql and state work on a warehouse no sync has written to; state is empty", async () => {
    await (await DuckDbHandle.open(database)).close();
    expect(await kaivo(["sql", "--json", "SELECT 1 AS one"], { cwd: dir })).toEqual({ code: 0, out: `[{"one":1}]\n`, err: "" });
    // Timestamps and integers print the same inside structs and lists (a credential's end date) as at the top.
    const nested = "SELECT TIMESTAMPTZ '2025-01-02 03:04:05.123456+00' AS at, {'at': TIMESTAMPTZ '2025-01-02 03:04:05.123456+00', 'n': 5::BIGINT} AS s, [TIMESTAMPTZ '2025-01-02 03:04:05+00'] AS l";
    expect((await kaivo(["sql", "--json", nested], { cwd: dir })).out).toBe(`[{"at":"2025-01-02T03:04:05.123456Z","s":{"at":"2025-01-02T03:04:05.123456Z","n":5},"l":["2025-01-02T03:04:05Z"]}]\n`);
    expect(await kaivo(["state", "show"], { cwd: dir })).toEqual({ code: 0, out: "{}\n", err: `No sync state in ${database}: no run has synced there yet (check warehouse.path if one has).\n` });
    expect(await kaivo(["state", "reset", "users"], { cwd: dir })).toEqual({ code: 0, out: "State reset for users; the next run starts over.\n", err: "" });
  });

  test("sql: columns sharing a name are all kept, line breaks show escaped, an empty query and a write are refused", async () => {
    await (await DuckDbHandle.open(database)).close();
    expect((await kaivo(["sql", "--json", "SELECT 1 AS a, 2 AS a, 3 AS b"], { cwd: dir })).out).toBe(`[{"a":1,"a_1":2,"b":3}]\n`);
    expect((await kaivo(["sql", "SELECT 1 AS a, 2 AS a"], { cwd: dir })).out).toBe("a  a_1\n1  2\n");
    expect((await kaivo(["sql", "SELECT 'x' || chr(10) || 'y' AS v, 'c' || chr(9) || 'd' AS w, 2 AS z"], { cwd: dir })).out).toBe("v     w     z\nx\\ny  c\\td  2\n");
    expect(await kaivo(["sql", "  "], { cwd: dir })).toEqual({ code: 2, out: "", err: 'error: <query>: is empty\nhint: Pass the SQL to run, e.g. kaivo sql "SELECT count(*) FROM users".\n' });
    const write = await kaivo(["sql", "CREATE TABLE mine AS SELECT 1 AS x"], { cwd: dir });
    expect(write.code).toBe(2);
    expect(write.err).toMatch(/^error: The query failed: .*read-only mode.*\nhint: kaivo sql opens the warehouse read-only/s);
    expect(await kaivo(["sql", "--json", "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'mine'"], { cwd: dir })).toMatchObject({ out: `[{"n":0}]\n` });
  });

  test("sql reads the warehouse and nothing else: no file written or read, no extension installed (which would download it)", async () => {
    await (await DuckDbHandle.open(database)).close();
    const outside = join(dir, "rows.csv");
    for (const query of [`COPY (SELECT 1 AS x) TO '${outside}'`, `SELECT * FROM read_text('${database}')`, "INSTALL httpfs", "SET enable_external_access = true"]) {
      const result = await kaivo(["sql", query], { cwd: dir });
      expect(result.code, query).toBe(2);
      expect(result.err, query).toMatch(/^error: The query failed: /);
    }
    expect(existsSync(outside)).toBe(false);
    const copy = await kaivo(["sql", `COPY (SELECT 1 AS x) TO '${outside}'`], { cwd: dir });
    expect(copy.err).toContain("hint: kaivo sql reads the warehouse and nothing else: no other file, no extension. To export rows, use --json and redirect it to a file.\n");
    // JSON and time zone functions are built in, and still there.
    expect((await kaivo(["sql", "--json", `SELECT json_extract_string('{"a":"b"}', '$.a') AS a, strftime(TIMESTAMPTZ '2025-01-02 03:04:05+00' AT TIME ZONE 'Europe/Helsinki', '%H') AS h`], { cwd: dir })).out).toBe(`[{"a":"b","h":"05"}]\n`);
  });

  test("run and check name the missing tenant id, then the missing client id, and exit 2", async () => {
    for (const command of ["run", "check"]) {
      const result = await kaivo([command], { cwd: dir, env: { AZURE_CLIENT_SECRET: "unused" } });
      expect(result.err).toBe(`error: ${join(dir, "kaivo.json")} at /tenantId: no tenant id\nhint: Set tenantId in the config file or AZURE_TENANT_ID in the environment: the Directory (tenant) ID on the app registration's Overview page.\n`);
      expect(result.code).toBe(2);
    }
    const noClient = await kaivo(["run"], { cwd: dir, env: { AZURE_TENANT_ID: "00000000-0000-0000-0000-000000000001", AZURE_CLIENT_SECRET: "unused" } });
    expect(noClient.err).toBe(`error: ${join(dir, "kaivo.json")} at /clientId: no client id\nhint: Set clientId in the config file or AZURE_CLIENT_ID in the environment: the Application (client) ID on the app registration's Overview page.\n`);
    expect(noClient.code).toBe(2);
  });
});
