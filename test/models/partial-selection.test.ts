import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kaivo } from "../support/kaivo.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

/** A config that syncs only some tables: the models over them build, the others say what they wait for. */
describe("kaivo build after syncing a selection of tables", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await startTenant({ users: 30, seed: 62 }, { tables: { users: {}, groups: {} } });
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
  });
  afterAll(() => tenant.close());

  test("--dry-run prints each statement a build would run, its data tests' SELECTs too, and why a model would be skipped", async () => {
    const dry = await kaivo(["build", "--dry-run", "--select", "stg_users"], { cwd: tenant.dir, env: tenant.env });
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/^-- stg_users \(models\/staging\/stg_users\.sql\)\nCREATE OR REPLACE VIEW /m);
    expect(dry.out).toMatch(/^-- stg_users: data test unique\(user_id\) \(the rows it returns fail it\)\nSELECT /m);
    const skipped = await kaivo(["build", "--dry-run", "--select", "stg_applications"], { cwd: tenant.dir, env: tenant.env });
    expect(skipped.out).toBe(
      "-- stg_applications (models/staging/stg_applications.sql): would be skipped: reads applications, not synced: select it in the config's tables if need be, then run a sync\n\n",
    );
  });

  test("a view no model file names any more (a model deleted or renamed) is pointed out, not dropped", async () => {
    await tenant.query((t) => `CREATE VIEW ${t("old_report")} AS SELECT 1 AS x`);
    try {
      const build = await kaivo(["build", "--select", "stg_users"], { cwd: tenant.dir, env: tenant.env });
      expect(build.code, build.out).toBe(0);
      expect(build.out).toContain("\nNote: old_report in main is a view no model file names (a model deleted or renamed?); it stays as built, and may no longer run. Drop it if nothing else uses it.\n");
      expect(await tenant.query((t) => `SELECT x FROM ${t("old_report")}`)).toStrictEqual([{ x: 1 }]);
    } finally {
      await tenant.query((t) => `DROP VIEW ${t("old_report")}`);
    }
  });

  test("builds the models over the synced tables and skips the rest, naming the table each one waits for; exit 0", async () => {
    const build = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
    expect(build.code, build.out).toBe(0);
    expect(build.out).toMatch(/^built {3}view stg_users \(/m);
    expect(build.out).toMatch(/^built {3}view stg_groups \(/m);
    expect(build.out).toContain("skipped view stg_applications (0.00 s)\n  reads applications, not synced: select it in the config's tables if need be, then run a sync\n");
    expect(build.out).toMatch(/^skipped view expiring_credentials \(0\.00 s\)\n {2}upstream model stg_\w+ skipped$/m);
    expect(build.out).toMatch(/^\d+ of 26 models built in [\d.]+ s; \d+ skipped; all data tests passed\.$/m);
    // The optional sign-in table is read where it exists; without it the views say nothing of sign-ins, and the build says so.
    expect(build.out).toContain("\nNote: user_sign_in_activity is not synced, so stg_user_sign_in_activity shows none of its data; select it in the config's tables to include it.\n");
    expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("stg_users")}`)).toStrictEqual([{ n: 30 }]);
  });

  test("a table synced earlier, then left out of the config's tables, no longer reaches the views with the rows it kept, and the build says so", async () => {
    tenant.writeConfig({ tables: { users: {}, groups: {}, user_sign_in_activity: {} } });
    const run = await kaivo(["run", "--tables", "user_sign_in_activity"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
    const selected = await kaivo(["build", "--select", "stg_user_sign_in_activity"], { cwd: tenant.dir, env: tenant.env });
    expect(selected.code, selected.out).toBe(0);
    expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("stg_user_sign_in_activity")}`)).toStrictEqual([{ n: 30 }]);

    // Its rows stay as that sync wrote them: sign-ins since would be missing, so the views say nothing of sign-ins.
    tenant.writeConfig({ tables: { users: {} } });
    const build = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
    expect(build.code, build.out).toBe(0);
    expect(build.out).toMatch(
      /\nNote: user_sign_in_activity is no longer in the config's tables \(the warehouse keeps what its sync of \d{4}-\d\d-\d\dT[\d:.]+Z wrote, no longer current\), so stg_user_sign_in_activity shows none of its data; select it in the config's tables to include it\.\n/,
    );
    expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("stg_user_sign_in_activity")}`)).toStrictEqual([{ n: 0 }]);
    expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("user_sign_in_activity")}`)).toStrictEqual([{ n: 30 }]);
    // A required source left out skips the models over it, as before its first sync.
    expect(build.out).toContain("skipped view stg_groups (0.00 s)\n  reads groups, not synced: select it in the config's tables if need be, then run a sync\n");
  });
});

/**
 * A config that selects some columns of a table: the table has only those, and the views, written
 * against every declared column, read the others as NULL.
 */
describe.each(WAREHOUSES)("kaivo build after syncing a selection of columns (%s)", (warehouse) => {
  let tenant: TestTenant;

  beforeAll(async () => {
    const users = { columns: ["id", "displayName", "userPrincipalName", "accountEnabled", "userType"] };
    tenant = await startTenant({ users: 30, seed: 63 }, { tables: { users, groups: {}, group_members: {}, serviceprincipals: {}, directoryroles: {}, directoryrole_members: {} } }, warehouse);
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
  }, 120_000);
  afterAll(() => tenant.close());

  test("the views build; columns never synced read as NULL, and the build says which", async () => {
    const build = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
    expect(build.code, build.out).toBe(0);
    expect(build.out).toMatch(/^built {3}view stg_users \(/m);
    expect(build.out).toMatch(/^built {3}view privileged_access \(/m);
    expect(build.out).toContain("\nNote: 40 declared columns of users are not synced under the config's selection (odata_type, given_name, surname, mail, mail_nickname and 35 more); the views read them as NULL.\n");
    const rows = await tenant.query((t) => `SELECT count(*) AS n, count(display_name) AS named, count(given_name) AS given, count(created_date_time) AS created FROM ${t("stg_users")}`);
    expect(rows).toStrictEqual([{ n: 30, named: 30, given: 0, created: 0 }]);
    // A list never synced reads as [], as a synced list without elements does, on both warehouses.
    expect(await tenant.query((t) => `SELECT DISTINCT other_mails FROM ${t("stg_users")}`)).toStrictEqual([{ other_mails: [] }]);
    const json = JSON.parse((await kaivo(["build", "--json", "--select", "stg_users"], { cwd: tenant.dir, env: tenant.env })).out);
    expect(json.unsyncedColumns.users).toHaveLength(40);
    expect(json.unsyncedColumns.users).toContain("given_name");
  }, 120_000);

  test("a column synced earlier, then left out of the selection or dropped from the declarations, no longer reaches the views with the values it kept", async () => {
    const users = { columns: ["id", "displayName", "userPrincipalName", "accountEnabled"] };
    tenant.writeConfig({ tables: { users, groups: {}, group_members: {}, serviceprincipals: {}, directoryroles: {}, directoryrole_members: {} } });
    // A project of the user's own, for a model of theirs.
    cpSync(fileURLToPath(new URL("../../tables", import.meta.url)), join(tenant.dir, "tables"), { recursive: true });
    cpSync(fileURLToPath(new URL("../../models", import.meta.url)), join(tenant.dir, "models"), { recursive: true });
    // A column the project's declarations no longer have, still in the table with its values.
    await tenant.query((t) => `ALTER TABLE ${t("users")} ADD COLUMN legacy_code ${warehouse === "duckdb" ? "VARCHAR" : "STRING"}`);
    await tenant.query((t) => `UPDATE ${t("users")} SET legacy_code = 'kept' WHERE TRUE`);
    try {
      const build = await kaivo(["build", "--select", "stg_users"], { cwd: tenant.dir, env: tenant.env });
      expect(build.code, build.out).toBe(0);
      expect(build.out).toContain("\nNote: 41 declared columns of users are not synced under the config's selection (odata_type, given_name, surname, mail, mail_nickname and 36 more); the views read them as NULL.\n");
      expect(build.out).toContain("\nNote: users keeps legacy_code, which no declaration has any more; the views leave it out (the table keeps the values).\n");
      // userType was synced under the earlier selection: the table keeps its values, the views read NULL.
      expect(await tenant.query((t) => `SELECT count(user_type) AS n FROM ${t("users")}`)).toStrictEqual([{ n: 30 }]);
      expect(await tenant.query((t) => `SELECT count(user_type) AS typed, count(display_name) AS named FROM ${t("stg_users")}`)).toStrictEqual([{ typed: 0, named: 30 }]);
      const mine = "models/mine.sql";
      writeFileSync(join(tenant.dir, mine), `---\n{ "description": "Mine.", "columns": {} }\n---\nSELECT legacy_code FROM {{source "users"}}\n`);
      const broken = await kaivo(["build", "--select", "mine"], { cwd: tenant.dir, env: tenant.env });
      expect(broken.out).toContain("hint: no declaration in tables/ has a column legacy_code");
    } finally {
      await tenant.query((t) => `ALTER TABLE ${t("users")} DROP COLUMN legacy_code`);
      rmSync(join(tenant.dir, "tables"), { recursive: true });
      rmSync(join(tenant.dir, "models"), { recursive: true });
      tenant.writeConfig({ tables: { users: { columns: ["id", "displayName", "userPrincipalName", "accountEnabled", "userType"] }, groups: {}, group_members: {}, serviceprincipals: {}, directoryroles: {}, directoryrole_members: {} } });
    }
  }, 120_000);
});
