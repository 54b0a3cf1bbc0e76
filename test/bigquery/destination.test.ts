import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { declarations, expectedRows, warehouseRows } from "../support/expected.js";
import { kaivo, spawnKaivo } from "../support/kaivo.js";
import { startTenant, type TestTenant } from "../support/tenant.js";

const TABLES = fileURLToPath(new URL("../../tables", import.meta.url));
const allTables = { tables: Object.fromEntries(declarations.map((d) => [d.name, {}])) };

describe("BigQuery destination against the emulator", () => {
  let bigquery: TestTenant;
  let duckdb: TestTenant;

  beforeAll(async () => {
    // The same seed and size give the same tenant: one copy per warehouse.
    [bigquery, duckdb] = await Promise.all([startTenant({ users: 70, seed: 51 }, allTables, "bigquery"), startTenant({ users: 70, seed: 51 }, allTables, "duckdb")]);
    for (const t of [bigquery, duckdb]) expect((await kaivo(["run"], { cwd: t.dir, env: t.env })).code).toBe(0);
  });
  afterAll(async () => {
    await bigquery.close();
    await duckdb.close();
  });

  test("the two warehouses end with identical contents", async () => {
    for (const d of declarations) expect(await warehouseRows(bigquery, d.name), d.name).toStrictEqual(await warehouseRows(duckdb, d.name));
  });

  test("a removed group's edges count as deleted on BigQuery as on DuckDB", async () => {
    const counts = async (t: TestTenant) => {
      const c = t.sim.control;
      const [gone, other] = [...c.objects("groups")].map((g) => String(g.id));
      c.deleteGroup(gone!, { hard: true });
      c.addGroupMember(other!, String([...c.objects("users")][0]!.id));
      const run = await kaivo(["run", "--tables", "groups", "--json"], { cwd: t.dir, env: t.env });
      expect(run.code, run.err).toBe(0);
      const summary = JSON.parse(run.out.trim().split("\n").at(-1)!) as { summary: { tables: Array<{ table: string; inserted: number; updated: number; deleted: number }> } };
      return summary.summary.tables.map(({ table, inserted, deleted }) => ({ table, inserted, deleted }));
    };
    const [onBigQuery, onDuckDb] = [await counts(bigquery), await counts(duckdb)];
    expect(onBigQuery).toStrictEqual(onDuckDb);
    expect(onDuckDb.find((t) => t.table === "group_members")!.deleted).toBeGreaterThan(0);
  });

  test("every write is a load job; no streaming insert call is ever made", () => {
    const operations = bigquery.emulator!.requests.map((r) => `${r.method} ${r.path}`);
    expect(operations.some((o) => o.includes("/upload/bigquery/v2/projects/") && o.startsWith("POST"))).toBe(true);
    expect(operations.filter((o) => o.includes("insertAll"))).toStrictEqual([]);
    expect(bigquery.emulator!.jobs().filter((j) => j.type === "load").length).toBeGreaterThan(0);
  });

  test("rate limits and backend errors from BigQuery are survived", async () => {
    const c = bigquery.sim.control;
    const renamed = String([...c.objects("users")][3]!.id);
    c.updateUser(renamed, { displayName: "After The Storm" });
    bigquery.emulator!.faults.inject({ kind: "rateLimitExceeded", match: /\/queries/, count: 2 });
    bigquery.emulator!.faults.inject({ kind: "backendError", match: /\/upload\//, count: 1 });
    const result = await kaivo(["run", "--tables", "users"], { cwd: bigquery.dir, env: bigquery.env });
    expect(result.code, result.out + result.err).toBe(0);
    expect(bigquery.emulator!.faults.active.every((f) => f.remaining === 0)).toBe(true);
    // Each retry is a line in the log, as Graph's are.
    expect(result.err).toMatch(/^warehouse: BigQuery .* failed: .*\(attempt 1\); retrying in [\d.]+ s$/m);
    expect(await warehouseRows(bigquery, "users")).toStrictEqual(expectedRows(bigquery.sim, "users"));
  }, 120_000);

  test("a failed load job fails the table with BigQuery's message and the job id, leaving target and state untouched but for the failure's record", async () => {
    const c = bigquery.sim.control;
    const groupsState = async () => JSON.parse(String((await bigquery.query((t) => `SELECT state FROM ${t("_kaivo_state")} WHERE table_name = 'groups'`))[0]!.state)) as Record<string, unknown>;
    const before = { rows: await warehouseRows(bigquery, "groups"), state: await groupsState() };
    c.updateGroup(String([...c.objects("groups")][0]!.id), { displayName: "Never Lands" });
    bigquery.emulator!.faults.inject({ kind: "jobFailure", match: /_kaivo_stg_groups_/, count: 1, reason: "invalid", message: "Provided Schema does not match Table (injected)" });
    const result = await kaivo(["run", "--tables", "groups"], { cwd: bigquery.dir, env: bigquery.env });
    expect(result.code).toBe(1);
    // The relations the round fills fail with it, on the same line.
    expect(result.out).toMatch(/^groups, group_members, group_owners failed: BigQuery loading \d+ rows of groups failed: Provided Schema does not match Table \(injected\) \(job kaivo_load_groups_[0-9a-f-]+\)$/m);
    expect(await warehouseRows(bigquery, "groups")).toStrictEqual(before.rows);
    const { lastFailure, ...after } = await groupsState();
    const { lastFailure: noFailure, ...stateBefore } = before.state;
    expect(noFailure).toBeNull();
    expect(after).toStrictEqual(stateBefore);
    expect(lastFailure).toMatchObject({ message: expect.stringMatching(/^BigQuery loading \d+ rows of groups failed: Provided Schema does not match Table \(injected\)/) });
    // The next run applies the change.
    expect((await kaivo(["run", "--tables", "groups"], { cwd: bigquery.dir, env: bigquery.env })).code).toBe(0);
    expect(await warehouseRows(bigquery, "groups")).toStrictEqual(expectedRows(bigquery.sim, "groups"));
  });
});

describe("BigQuery before the first sync", () => {
  test("state show finds no dataset yet and says there is no state", async () => {
    const tenant = await startTenant({ users: 5, seed: 52 }, {}, "bigquery");
    try {
      const location = `${tenant.emulator!.projectId}.entraid`;
      expect(await kaivo(["state", "show"], { cwd: tenant.dir, env: tenant.env })).toEqual({ code: 0, out: "{}\n", err: `No sync state in ${location}: no run has synced there yet (check warehouse.project and warehouse.dataset if one has).\n` });
      const sql = await kaivo(["sql", "SELECT 1"], { cwd: tenant.dir, env: tenant.env });
      expect(sql.code).toBe(2);
      expect(sql.err).toMatch(/^error: \S+kaivo\.json at \/warehouse: is BigQuery, and `kaivo sql` queries a local DuckDB file\nhint: Query BigQuery with its own tools/);
    } finally {
      await tenant.close();
    }
  });
});

describe("BigQuery that cannot be reached", () => {
  test("run and build stop at once with the error named, never as a bug in Kaivo; --json gives one error line", async () => {
    const tenant = await startTenant({ users: 5, seed: 53 }, {}, "bigquery");
    try {
      const closed = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, "127.0.0.1", () => {
          const port = (server.address() as AddressInfo).port;
          server.close(() => resolve(port));
        });
      });
      const emulator = tenant.emulator!;
      tenant.writeConfig({ warehouse: { type: "bigquery", project: emulator.projectId, dataset: "entraid", location: emulator.location, apiEndpoint: `http://127.0.0.1:${closed}` } });
      const run = await kaivo(["run", "--json"], { cwd: tenant.dir, env: tenant.env });
      expect(run.code).toBe(1);
      expect(run.out).toBe("");
      const error = JSON.parse(run.err.trim().split("\n").at(-1)!);
      expect(error).toMatchObject({ type: "error", code: "KAIVO_WAREHOUSE_ACCESS", message: expect.stringMatching(/^Could not reach BigQuery \(ECONNREFUSED\)/), hint: expect.stringContaining("warehouse.apiEndpoint") });
      const build = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
      expect(build.code).toBe(1);
      expect(build.err).toMatch(/^error: Could not reach BigQuery \(ECONNREFUSED\)/);
      expect(build.err).not.toContain("a bug in Kaivo");
    } finally {
      await tenant.close();
    }
  }, 120_000);
});

describe("a BigQuery project that does not exist", () => {
  test("kaivo run stops before writing, and kaivo check says why, naming the project field, exit 2", async () => {
    const tenant = await startTenant({ users: 5, seed: 54 }, {}, "bigquery");
    try {
      const emulator = tenant.emulator!;
      tenant.writeConfig({ warehouse: { type: "bigquery", project: "wrong-proj", dataset: "entraid", location: emulator.location, apiEndpoint: emulator.apiEndpoint } });
      for (const command of [["run"], ["check", "--tables", "directoryroletemplates"]]) {
        const result = await kaivo(command, { cwd: tenant.dir, env: tenant.env });
        expect(result.code, command[0]).toBe(2);
        expect(result.err, command[0]).toBe("error: BigQuery has no project wrong-proj, or these credentials cannot see it.\nhint: Set warehouse.project to the project's ID (as `gcloud projects list` shows it), and check the credentials' access to it.\n");
      }
    } finally {
      await tenant.close();
    }
  });
});

describe("a BigQuery dataset in another location than the configured one", () => {
  test("run, build and check stop before any job, naming both locations and the field to set, exit 2; so does a models dataset elsewhere", async () => {
    const tenant = await startTenant({ users: 5, seed: 55 }, { tables: { directoryroletemplates: {} } }, "bigquery");
    try {
      const emulator = tenant.emulator!;
      expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
      tenant.writeConfig({ warehouse: { type: "bigquery", project: emulator.projectId, dataset: "entraid", location: "EU", apiEndpoint: emulator.apiEndpoint } });
      const jobs = emulator.jobs().length;
      const message = `error: The BigQuery dataset ${emulator.projectId}.entraid is in ${emulator.location}, but warehouse.location is EU: BigQuery runs jobs only in their dataset's location.\nhint: Set warehouse.location to "${emulator.location}" in the config (a dataset's location never changes), or name a dataset in EU.\n`;
      for (const command of [["run"], ["build"], ["check", "--tables", "directoryroletemplates"]]) {
        const result = await kaivo(command, { cwd: tenant.dir, env: tenant.env });
        expect(result.code, command[0]).toBe(2);
        expect(result.err, command[0]).toBe(message);
      }
      // Under --json, check's one line keeps the Graph results beside the warehouse's error.
      const json = await kaivo(["check", "--tables", "directoryroletemplates", "--json"], { cwd: tenant.dir, env: tenant.env });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.out)).toMatchObject({ tables: [{ table: "directoryroletemplates", ok: true }], warehouse: { ok: false, error: { code: "KAIVO_DATASET_LOCATION" } } });
      expect(emulator.jobs().length).toBe(jobs);

      // A models dataset of its own in another location stops the build the same way.
      const created = await fetch(`${emulator.apiEndpoint}/bigquery/v2/projects/${emulator.projectId}/datasets`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ datasetReference: { datasetId: "models_eu" }, location: "EU" }),
      });
      expect(created.status).toBe(200);
      tenant.writeConfig({ warehouse: { type: "bigquery", project: emulator.projectId, dataset: "entraid", modelsDataset: "models_eu", location: emulator.location, apiEndpoint: emulator.apiEndpoint } });
      const build = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
      expect(build.code, build.out).toBe(2);
      expect(build.err).toMatch(new RegExp(`^error: The BigQuery dataset ${emulator.projectId}\\.models_eu is in EU, but warehouse\\.location is ${emulator.location}:`));
    } finally {
      await tenant.close();
    }
  });
});

describe("BigQuery models dataset", () => {
  test("kaivo build refuses a dataset no sync wrote; --dry-run creates no dataset; kaivo build creates the configured models dataset", async () => {
    const tenant = await startTenant({ users: 5, seed: 53 }, { tables: { directoryroletemplates: {} } }, "bigquery");
    try {
      const emulator = tenant.emulator!;
      tenant.writeConfig({ warehouse: { type: "bigquery", project: emulator.projectId, dataset: "entraid", modelsDataset: "entraid_models", location: emulator.location, apiEndpoint: emulator.apiEndpoint } });
      const datasetStatus = async () => (await fetch(`${emulator.apiEndpoint}/bigquery/v2/projects/${emulator.projectId}/datasets/entraid_models`)).status;
      const early = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
      expect(early.code).toBe(2);
      expect(early.err).toMatch(new RegExp(`^error: \\S+kaivo\\.json at /warehouse/dataset: ${emulator.projectId}\\.entraid holds no synced tables\\nhint: Run \`kaivo run\` first`));
      expect(await datasetStatus()).toBe(404);
      expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
      const dryRun = await kaivo(["build", "--dry-run"], { cwd: tenant.dir, env: tenant.env });
      expect(dryRun.code, dryRun.err).toBe(0);
      expect(await datasetStatus()).toBe(404);
      await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
      expect(await datasetStatus()).toBe(200);
    } finally {
      await tenant.close();
    }
  });
});

/** The tenant's own copy of the declarations, with one too strict for every user: each is rejected whole, raw JSON and all. */
function rejectEveryUser(tenant: TestTenant): void {
  cpSync(TABLES, join(tenant.dir, "tables"), { recursive: true });
  const file = join(tenant.dir, "tables", "users.json");
  const declaration = JSON.parse(readFileSync(file, "utf8"));
  declaration.schema.properties.userPrincipalName.maxLength = 3;
  writeFileSync(file, JSON.stringify(declaration));
}

describe("BigQuery and a commit with rejects too large to write as SQL literals", () => {
  test("the rejects are loaded, not inlined: the table commits and every reject is kept with its raw JSON", async () => {
    // Over 1,024K characters of rejected raw JSON in all.
    const tenant = await startTenant({ users: 1200, seed: 57 }, { tables: { users: {} } }, "bigquery");
    try {
      rejectEveryUser(tenant);
      const run = await kaivo(["run", "--json"], { cwd: tenant.dir, env: tenant.env });
      expect(run.code, run.err).toBe(0);
      const summary = JSON.parse(run.out.trim().split("\n").at(-1)!) as { summary: { tables: Array<{ table: string; rejected: number }> } };
      expect(summary.summary.tables).toMatchObject([{ table: "users", rejected: 1200 }]);
      const [stored] = await tenant.query((t) => `SELECT COUNT(*) AS n, SUM(LENGTH(raw_json)) AS chars FROM ${t("_kaivo_rejects")} WHERE table_name = 'users'`);
      expect(stored!.n).toBe(1200);
      expect(Number(stored!.chars)).toBeGreaterThan(1024 * 1024);
      // Read whole and rejected again as they were, each keeps its one row.
      expect((await kaivo(["run", "--full-refresh"], { cwd: tenant.dir, env: tenant.env })).out).toMatch(/^users\s+ok\s+0\s+0\s+0\s+1200\s/m);
      expect(await tenant.query((t) => `SELECT COUNT(*) AS n, COUNT(DISTINCT record_id) AS ids, COUNT(DISTINCT run_id) AS runs FROM ${t("_kaivo_rejects")}`)).toStrictEqual([{ n: 1200, ids: 1200, runs: 1 }]);
    } finally {
      await tenant.close();
    }
  }, 120_000);

  test("a run killed while it loads them leaves no raw record on disk once the next run starts", async () => {
    const tenant = await startTenant({ users: 1200, seed: 58 }, { tables: { users: {} } }, "bigquery");
    const temp = mkdtempSync(join(tmpdir(), "kaivo-rejects-test-"));
    // Every raw record rejected, staged for its load into BigQuery, in whatever folder holds it.
    const stagedRejects = () => (readdirSync(temp, { recursive: true }) as string[]).filter((f) => f.endsWith("rejects.ndjson"));
    try {
      rejectEveryUser(tenant);
      // The load keeps failing (and is retried) while the run is killed.
      tenant.emulator!.faults.inject({ kind: "backendError", match: /\/upload\//, count: 1000 });
      const child = spawnKaivo(["run"], { cwd: tenant.dir, env: { ...tenant.env, TMPDIR: temp } });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      while (stagedRejects().length === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      child.kill("SIGKILL");
      await exited;
      expect(child.signalCode).toBe("SIGKILL");
      expect(stagedRejects()).toHaveLength(1);

      tenant.emulator!.faults.clear();
      // A process of its own: the temporary folder is the process's.
      const rerun = spawnKaivo(["run"], { cwd: tenant.dir, env: { ...tenant.env, TMPDIR: temp } });
      expect(await new Promise((resolve) => rerun.once("exit", resolve))).toBe(0);
      expect(stagedRejects()).toEqual([]);
    } finally {
      await tenant.close();
      rmSync(temp, { recursive: true, force: true });
    }
  }, 120_000);
});
