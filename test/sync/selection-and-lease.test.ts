import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kaivo, spawnKaivo } from "../support/kaivo.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

const TABLES = fileURLToPath(new URL("../../tables", import.meta.url));

describe.each(WAREHOUSES)("column selection, rejects and the lease, in %s", (warehouse) => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await startTenant({ users: 50, seed: 71, latencyMs: 0 }, { tables: { users: { columns: ["id", "displayName", "accountEnabled"] }, groups: {}, group_members: {} } }, warehouse);
  });
  afterAll(() => tenant.close());

  test("only the selected columns are requested and stored", async () => {
    expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
    // The initial round's two first requests ($deltatoken=latest, then the list) name the selection;
    // the links Graph returns carry it from there.
    const firstUsersRequests = tenant.sim.control
      .requestLog()
      .filter((r) => r.endpoint === "users/delta" || r.endpoint === "users")
      .map((r) => decodeURIComponent(r.url))
      .filter((url) => !url.includes("$skiptoken="));
    expect(firstUsersRequests).toStrictEqual([
      "/v1.0/users/delta?$select=id,displayName,accountEnabled&$deltatoken=latest",
      "/v1.0/users?$select=id,displayName,accountEnabled&$top=999",
    ]);
    const columns = await tenant.query((t) => `SELECT * FROM ${t("users")} LIMIT 1`);
    expect(Object.keys(columns[0]!)).toStrictEqual(["id", "display_name", "account_enabled", "_kaivo_synced_at", "_kaivo_deleted_at", "_kaivo_deleted_reason"]);
  });

  test("a record that fails validation lands in _kaivo_rejects with its reason and raw JSON, and is counted", async () => {
    const victim = String([...tenant.sim.control.objects("users")][2]!.id);
    tenant.sim.control.updateUser(victim, { accountEnabled: "yes" });
    const result = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^users\s+ok\s+0\s+0\s+0\s+1\s/m);
    expect(result.out).toMatch(/Rejected records are kept with their reason in the _kaivo_rejects table/);
    const rejects = await tenant.query((t) => `SELECT table_name, record_id, reason, raw_json FROM ${t("_kaivo_rejects")}`);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ table_name: "users", record_id: victim, reason: "/accountEnabled must be boolean,null" });
    expect(JSON.parse(String(rejects[0]!.raw_json))).toMatchObject({ id: victim, accountEnabled: "yes" });
  });

  test("a resync leaves the stored row of a record that fails validation as it was: Graph sent it, so it has not vanished", async () => {
    const victim = String((await tenant.query((t) => `SELECT record_id FROM ${t("_kaivo_rejects")}`))[0]!.record_id);
    expect((await kaivo(["state", "reset", "users"], { cwd: tenant.dir })).code).toBe(0);
    const result = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^users\s+ok\s+0\s+49\s+0\s+1\s/m);
    const stored = await tenant.query((t) => `SELECT account_enabled, _kaivo_deleted_reason AS reason FROM ${t("users")} WHERE id = '${victim}'`);
    expect(stored).toStrictEqual([{ account_enabled: expect.any(Boolean), reason: null }]);
  });

  test("a second run of the same connection is refused while one is running", async () => {
    tenant.sim.control.setLatency(400);
    const first = spawnKaivo(["run", "--full-refresh", "--json"], { cwd: tenant.dir, env: tenant.env });
    await new Promise<void>((resolve) => first.stdout.on("data", (d: Buffer) => d.toString().includes('"table.started"') && resolve()));
    const second = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    tenant.sim.control.setLatency(0);
    await new Promise((r) => first.once("exit", r));
    expect(first.exitCode).toBe(0);
    expect(second.code).toBe(2);
    expect(second.err).toMatch(
      warehouse === "duckdb"
        ? /^error: The DuckDB warehouse .*kaivo\.duckdb is in use by another process \(PID \d+\)\.\nhint: Another kaivo command/
        : /^error: Another kaivo run \(pid \d+ on .*\) is syncing into kaivo-emulator\.entraid; its lease holds until /,
    );
  });
});

describe("the audit log after its selected columns widen", () => {
  test("the next run reads the retention window again and fills the new column of every stored event; later runs append new events only", async () => {
    const selection = (columns: string[]) => ({ tables: { directoryaudits: { columns } } });
    const tenant = await startTenant({ users: 30, seed: 72 }, selection(["id", "activityDateTime", "activityDisplayName"]));
    try {
      expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
      const results = () => tenant.query((t) => `SELECT count(*) AS events, count(result) AS with_result FROM ${t("directoryaudits")}`);
      const [stored] = await tenant.query((t) => `SELECT count(*) AS events FROM ${t("directoryaudits")}`);
      expect(stored!.events).toBeGreaterThan(0);
      tenant.writeConfig(selection(["id", "activityDateTime", "activityDisplayName", "result"]));

      const widened = await kaivo(["run", "--json"], { cwd: tenant.dir, env: tenant.env });
      expect(widened.code).toBe(0);
      const events = widened.out.trim().split("\n").map((line) => JSON.parse(line) as { type: string; table?: string; reason?: string; summary?: { tables: Array<{ table: string; inserted: number; updated: number }> } });
      expect(events).toContainEqual(expect.objectContaining({ type: "table.resync", table: "directoryaudits", reason: expect.stringMatching(/^its columns changed/) }));
      expect(events.at(-1)!.summary!.tables.find((t) => t.table === "directoryaudits")).toMatchObject({ inserted: 0, updated: stored!.events });
      expect(await results()).toStrictEqual([{ events: stored!.events, with_result: stored!.events }]);

      const next = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
      expect(next.code).toBe(0);
      expect(next.err).toMatch(/^directoryaudits: reading events since /m);
      expect(next.err).not.toMatch(/full resync/);
    } finally {
      await tenant.close();
    }
  });
});

describe("kaivo init", () => {
  test("writes a starter config once, and refuses to overwrite it", async () => {
    const tenant = await startTenant();
    const file = join(tenant.dir, "new.json");
    const first = await kaivo(["init", "--config", "new.json"], { cwd: tenant.dir });
    expect(first).toEqual({ code: 0, out: "Wrote new.json. Fill in tenantId, clientId and userId (the user whose deleted groups and apps user_owned_deleted_items lists), export AZURE_CLIENT_SECRET, then run `npx kaivo check --config new.json`.\n", err: "" });
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ warehouse: { type: "duckdb" } });
    // Its placeholders are refused before anything is written.
    const run = await kaivo(["run", "--config", "new.json"], { cwd: tenant.dir, env: tenant.env });
    expect(run.err).toMatch(/^error: .*new\.json at \/tenantId: still the placeholder `kaivo init` wrote\n/);
    expect(run.code).toBe(2);
    const json = await kaivo(["--json", "init", "--config", "other.json"], { cwd: tenant.dir });
    expect(JSON.parse(json.out)).toStrictEqual({ type: "init", config: join(tenant.dir, "other.json"), fill: ["tenantId", "clientId", "userId"], next: "npx kaivo check --config other.json" });
    const again = await kaivo(["init", "--config", "new.json"], { cwd: tenant.dir });
    expect(again.code).toBe(2);
    expect(again.err).toBe("error: new.json already exists; not overwriting it.\nhint: Edit it, or pass --config <other file>.\n");
    await tenant.close();
  });
});

describe("kaivo check", () => {
  test("a tenant the login host does not know is one error naming the tenant, not a failure per table", async () => {
    const tenant = await startTenant({ users: 5, seed: 82 });
    const unknown = "00000000-0000-0000-0000-00000000beef";
    const result = await kaivo(["check"], { cwd: tenant.dir, env: { ...tenant.env, AZURE_TENANT_ID: unknown } });
    expect(result.out).toBe("");
    expect(result.err).toBe(
      `error: Tenant ${unknown} was not found at ${new URL(tenant.sim.authorityHost).host} (AADSTS90002).\nhint: Check the tenant id (AZURE_TENANT_ID, or tenantId in the config) and graph.loginUrl, the cloud it signs in at.\n`,
    );
    expect(result.code).toBe(2);
    await tenant.close();
  });

  test("reads one record per selected table and names the permission each table lacks", async () => {
    const tenant = await startTenant({ users: 30, seed: 81 });
    tenant.sim.control.revokePermission("IdentityProvider.Read.All");
    const result = await kaivo(["check"], { cwd: tenant.dir, env: tenant.env });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^users\s+ok\s+User\.Read\.All/m);
    expect(result.out).toMatch(/^identityproviders\s+MISSING\s+IdentityProvider\.Read\.All\s+grant IdentityProvider\.Read\.All/m);
    // Every other table's one-record read succeeds: a list selects no navigation property (groups once asked for members and got a 400).
    const statuses = result.out.split("\n").filter((l) => /^\w+\s+(ok|MISSING|FAILED)\s/.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(" "));
    expect(statuses.filter((s) => !s.endsWith(" ok"))).toStrictEqual(["identityproviders MISSING"]);
    expect(result.out).toContain(`Grant these application permissions to app ${tenant.sim.clientId} and give admin consent: IdentityProvider.Read.All`);
    // Users' first sync starts with $deltatoken=latest, then lists 999 a page: the probe sends both, the list cut to one record.
    const probes = tenant.sim.control.requestLog().filter((r) => r.endpoint === "users" || r.endpoint === "users/delta");
    expect(probes.map((r) => decodeURIComponent(r.url))).toStrictEqual([expect.stringMatching(/^\/v1\.0\/users\/delta\?.*\$deltatoken=latest/), expect.stringMatching(/^\/v1\.0\/users\?.*\$top=1/)]);
    // Groups start with their delta round, members and owners selected.
    expect(tenant.sim.control.requestLog().filter((r) => r.endpoint === "groups/delta").map((r) => decodeURIComponent(r.url))).toStrictEqual([expect.stringMatching(/\$select=.*members/)]);
    await tenant.close();
  });

  test("probes what a first sync sends: a declared delta path or relation that Graph does not know fails the check", async () => {
    const tenant = await startTenant({ users: 20, seed: 82 }, { tables: { users: {}, groups: {}, group_members: {} } });
    try {
      cpSync(TABLES, join(tenant.dir, "tables"), { recursive: true });
      const edit = (file: string, change: (d: Record<string, any>) => void) => {
        const path = join(tenant.dir, "tables", file);
        const declaration = JSON.parse(readFileSync(path, "utf8"));
        change(declaration);
        writeFileSync(path, JSON.stringify(declaration));
      };
      edit("users.json", (d) => (d.source.deltaPath = "/users/delta2"));
      edit("group_members.json", (d) => (d.relation.property = "transitiveMembers"));
      const result = await kaivo(["check"], { cwd: tenant.dir, env: tenant.env });
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/^users\s+FAILED\s+User\.Read\.All\s+GET \/users\/delta2 failed/m);
      // What to do, as kaivo run says it.
      expect(result.out).toMatch(/^users\s+FAILED\s+.*\(Graph v1\.0 has no such resource: check source\.path and source\.deltaPath in tables\/users\.json\./m);
      expect(result.out).toMatch(/^groups\s+FAILED\s+.*transitiveMembers/m);
    } finally {
      await tenant.close();
    }
  });
});
