import { spawn } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kaivo } from "../support/kaivo.js";
import { startTenant, type TestTenant } from "../support/tenant.js";

const TABLES = fileURLToPath(new URL("../../tables", import.meta.url));

describe("kaivo state reset", () => {
  let tenant: TestTenant;
  /** Tables whose state holds more than the key their rows were merged by, which a reset keeps. */
  const storedTables = async () =>
    Object.entries(JSON.parse((await kaivo(["state", "show"], { cwd: tenant.dir })).out) as Record<string, object>)
      .filter(([, state]) => Object.keys(state).some((k) => k !== "key"))
      .map(([table]) => table)
      .sort();

  beforeAll(async () => {
    tenant = await startTenant({ users: 40, seed: 52 }, { tables: { users: {}, groups: {}, group_members: {} } });
    expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
  });
  afterAll(() => tenant.close());

  test("kaivo run --tables refuses a relation the config does not select: its parent's rounds carry the same relations every run", async () => {
    const result = await kaivo(["run", "--tables", "group_owners"], { cwd: tenant.dir, env: tenant.env });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error: --tables: group_owners is not in the config's selection; its edges arrive with groups, whose rounds carry the same relations every run\nhint: Add group_owners to tables in \S+kaivo\.json\.\n$/);
  });

  test("a run of another tenant into this warehouse is refused before it writes, and kaivo check refuses it too: one warehouse holds one tenant", async () => {
    const other = await startTenant({ users: 10, seed: 53 }, { tables: { users: {} }, warehouse: { type: "duckdb", path: tenant.database } });
    try {
      expect(other.sim.tenantId).not.toBe(tenant.sim.tenantId);
      const run = await kaivo(["run"], { cwd: other.dir, env: other.env });
      expect(run.code).toBe(2);
      expect(run.err).toBe(`error: ${tenant.database} holds the data of tenant ${tenant.sim.tenantId}; syncing tenant ${other.sim.tenantId} into it would mix the two.\nhint: Give each tenant a warehouse of its own (warehouse.path, or the BigQuery dataset).\n`);
      // kaivo check says the same, after the Graph probes.
      const check = await kaivo(["check", "--tables", "users"], { cwd: other.dir, env: other.env });
      expect(check.code).toBe(2);
      expect(check.err).toBe(run.err);
      expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("users")}`)).toStrictEqual([{ n: 40 }]);
      expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("_kaivo_state")} WHERE table_name = '__lease__'`)).toStrictEqual([{ n: 0 }]);
    } finally {
      await other.close();
    }
  });

  test("the same tenant named by its domain is the same tenant: the warehouse records its GUID, from the token, and takes either name", async () => {
    const tenantOf = async () => JSON.parse(String((await tenant.query((t) => `SELECT state FROM ${t("_kaivo_state")} WHERE table_name = '__tenant__'`))[0]!.state));
    const domain = tenant.sim.control.shape().domain;
    // As an earlier Kaivo recorded it for a config that named the tenant by its domain.
    await tenant.query((t) => `UPDATE ${t("_kaivo_state")} SET state = '${JSON.stringify({ tenantId: domain })}' WHERE table_name = '__tenant__'`);
    try {
      // The first run, named as recorded, records the GUID; from then on either name will do.
      for (const tenantId of [domain.toUpperCase(), tenant.sim.tenantId, domain, tenant.sim.tenantId.toUpperCase()]) {
        tenant.writeConfig({ tenantId });
        const run = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
        expect(run.code, `${tenantId}: ${run.err}`).toBe(0);
        expect(await tenantOf()).toStrictEqual({ tenantId: tenant.sim.tenantId });
        const check = await kaivo(["check", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
        expect(check.code, `${tenantId}: ${check.err}`).toBe(0);
        const named = tenantId === domain.toUpperCase() || tenantId === domain ? `${tenantId} (${tenant.sim.tenantId})` : tenantId;
        expect(check.out).toContain(`Token acquired for app ${tenant.sim.clientId} in tenant ${named}.\n`);
      }
    } finally {
      tenant.writeConfig();
    }
  });

  test("a delta link stored from another Graph host (graph.baseUrl changed since) is not followed: the table is read whole again", async () => {
    const [row] = await tenant.query((t) => `SELECT state FROM ${t("_kaivo_state")} WHERE table_name = 'users'`);
    const stored = JSON.parse(String(row!.state));
    const moved = stored.deltaLink.replace(/^https:\/\/[^/]+/, "https://127.0.0.1:1");
    await tenant.query((t) => `UPDATE ${t("_kaivo_state")} SET state = '${JSON.stringify({ ...stored, deltaLink: moved })}' WHERE table_name = 'users'`);
    const run = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^users: full resync: its stored delta link is from another Graph host than https:\/\/127\.0\.0\.1:\d+\/v1\.0 \(graph\.baseUrl changed\)/m);
    expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("users")} WHERE _kaivo_deleted_at IS NULL`)).toStrictEqual([{ n: 40 }]);
  });

  test("the same tenant written in capitals is the same tenant", async () => {
    const run = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: { ...tenant.env, AZURE_TENANT_ID: tenant.sim.tenantId.toUpperCase() } });
    expect(run.code, run.err).toBe(0);
  });

  test("state show only reads: it opens the file beside a reader's DuckDB session, which a reset must wait for", async () => {
    // Another process holding the file read-only, as an analyst's DuckDB shell or `kaivo sql` does.
    const reader = spawn(process.execPath, ["--input-type=module", "-e", `
      import { DuckDBInstance } from "@duckdb/node-api";
      await DuckDBInstance.create(${JSON.stringify(tenant.database)}, { access_mode: "READ_ONLY" });
      console.log("open");
      process.stdin.resume();
      process.stdin.on("end", () => process.exit(0));`], { cwd: process.cwd(), stdio: ["pipe", "pipe", "inherit"] });
    try {
      await once(reader.stdout!, "data");
      const shown = await kaivo(["state", "show", "--json"], { cwd: tenant.dir });
      expect(shown.code).toBe(0);
      expect(Object.keys(JSON.parse(shown.out) as object).sort()).toStrictEqual(["groups", "users"]);
      const reset = await kaivo(["state", "reset", "users"], { cwd: tenant.dir });
      expect(reset.code).toBe(2);
      expect(reset.err).toMatch(/^error: The DuckDB warehouse \S+ is in use by another process \(PID \d+\)\./);
    } finally {
      reader.stdin!.end();
      await once(reader, "exit");
    }
    expect(await storedTables()).toStrictEqual(["groups", "users"]);
  });

  test("refuses a table that is not declared, and forgets nothing", async () => {
    const result = await kaivo(["state", "reset", "users", "userz"], { cwd: tenant.dir });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error: kaivo state reset: unknown table "userz"\nhint: Declared tables: .*\busers\b/);
    expect(result.out).toBe("");
    expect(await storedTables()).toStrictEqual(["groups", "users"]);
  });

  test("a relation's state is its parent's: the next run reads the parent's initial round again and marks what vanished meanwhile", async () => {
    const gone = String([...tenant.sim.control.objects("groups")][0]!.id);
    const members = Number((await tenant.query((t) => `SELECT count(*) AS n FROM ${t("group_members")} WHERE group_id = '${gone}'`))[0]!.n);
    expect(members).toBeGreaterThan(0);

    const reset = await kaivo(["state", "reset", "group_members"], { cwd: tenant.dir });
    expect(reset).toEqual({ code: 0, out: "State reset for groups (group_members is kept by groups); the next run starts over.\n", err: "" });
    expect(await storedTables()).toStrictEqual(["users"]);

    // Gone for good before the next run: without its delta link, only the initial round's sweep can tell.
    tenant.sim.control.deleteGroup(gone, { hard: true });
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/^groups: initial round: reading every object$/m);
    expect(run.err).toMatch(/^users: reading changes since the last run$/m);
    expect(await tenant.query((t) => `SELECT _kaivo_deleted_reason AS reason FROM ${t("groups")} WHERE id = '${gone}'`)).toStrictEqual([{ reason: "vanished" }]);
    expect(await tenant.query((t) => `SELECT DISTINCT _kaivo_deleted_reason AS reason FROM ${t("group_members")} WHERE group_id = '${gone}'`)).toStrictEqual([{ reason: "vanished" }]);
    expect(await storedTables()).toStrictEqual(["groups", "users"]);
    // For a program: the same states on one line; which tenant they belong to goes to stderr.
    const shown = await kaivo(["state", "show", "--json"], { cwd: tenant.dir });
    expect(shown.err).toBe(`Sync state of tenant ${tenant.sim.tenantId} in ${tenant.database}:\n`);
    const json = shown.out;
    expect(json.trimEnd().split("\n")).toHaveLength(1);
    expect(Object.keys(JSON.parse(json)).sort()).toStrictEqual(["groups", "users"]);
  });

  test("a table whose declaration was removed can still have its stored state reset by name", async () => {
    // The user's own project, without users.json (and a config without users).
    cpSync(TABLES, join(tenant.dir, "tables"), { recursive: true });
    rmSync(join(tenant.dir, "tables", "users.json"));
    tenant.writeConfig({ tables: { groups: {}, group_members: {} } });
    try {
      expect(await storedTables()).toStrictEqual(["groups", "users"]);
      const reset = await kaivo(["state", "reset", "users"], { cwd: tenant.dir });
      expect(reset).toEqual({ code: 0, out: "State reset for users; the next run starts over.\n", err: "" });
      expect(await storedTables()).toStrictEqual(["groups"]);
      const unknown = await kaivo(["state", "reset", "userz"], { cwd: tenant.dir });
      expect(unknown.code).toBe(2);
      expect(unknown.err).toMatch(/^error: kaivo state reset: unknown table "userz"/);
    } finally {
      rmSync(join(tenant.dir, "tables"), { recursive: true, force: true });
      tenant.writeConfig();
    }
  });
});
