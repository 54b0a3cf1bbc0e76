import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { planTable } from "@kaivo/engine";
import { declarations } from "../support/expected.js";
import { kaivo } from "../support/kaivo.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

const TABLES = fileURLToPath(new URL("../../tables", import.meta.url));
const MODELS = fileURLToPath(new URL("../../models", import.meta.url));

/** A project of the user's own in `dir`: copies of the bundled tables/ and models/, to edit. */
function copyProject(dir: string): void {
  cpSync(TABLES, join(dir, "tables"), { recursive: true });
  cpSync(MODELS, join(dir, "models"), { recursive: true });
}

/** Edits the declaration of `table` in the project in `dir` (see copyProject), as the parsed JSON of its file. */
function editDeclaration(dir: string, table: string, edit: (declaration: ReturnType<typeof JSON.parse>) => void): void {
  const file = join(dir, "tables", `${table}.json`);
  const declaration = JSON.parse(readFileSync(file, "utf8"));
  edit(declaration);
  writeFileSync(file, JSON.stringify(declaration));
}

/** A user's own project edits a declaration after its table has been synced. */
describe.each(WAREHOUSES)("declarations that change under a synced table, in %s", (warehouse) => {
  let tenant: TestTenant;
  const usersFile = () => join(tenant.dir, "tables", "users.json");
  const original = () => readFileSync(join(TABLES, "users.json"), "utf8");
  const editUsers = (edit: (properties: Record<string, Record<string, unknown>>) => void) => {
    const declaration = JSON.parse(original());
    edit(declaration.schema.properties);
    writeFileSync(usersFile(), JSON.stringify(declaration));
  };
  const state = async () => (await kaivo(["state", "show"], { cwd: tenant.dir })).out;
  /** Runs `kaivo run --tables users` after the stored users state is rewritten with `fingerprint`, as another Kaivo version wrote it. */
  const runWithStoredFingerprint = async (fingerprint: string) => {
    const [row] = await tenant.query((t) => `SELECT state FROM ${t("_kaivo_state")} WHERE table_name = 'users'`);
    const stored = JSON.parse(String(row!.state));
    expect(stored.fingerprint).not.toBe(fingerprint);
    await tenant.query((t) => `UPDATE ${t("_kaivo_state")} SET state = '${JSON.stringify({ ...stored, fingerprint })}' WHERE table_name = 'users'`);
    return kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
  };

  beforeAll(async () => {
    tenant = await startTenant({ users: 30, seed: 81 }, { tables: { users: {}, groups: {}, group_members: {}, directoryroletemplates: {} } }, warehouse);
    cpSync(TABLES, join(tenant.dir, "tables"), { recursive: true });
    expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
  }, 60_000);
  afterAll(() => tenant.close());

  test("state an earlier Kaivo wrote (its fingerprint did not count the schemas) is read as current: no resync on upgrade", async () => {
    const users = declarations.find((d) => d.name === "users")!;
    const run = await runWithStoredFingerprint(planTable(users, declarations).earlierFingerprints[0]!);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^users: reading changes since the last run$/m);
    expect(run.out).toMatch(/^users\s+ok\s+0\s+0\s+0\s+0\s+1\s/m);
  });

  test("edits that change neither the objects Graph sends nor their columns (page size, permission, the source's key order) resync nothing", async () => {
    const declaration = JSON.parse(original());
    const { path, ...rest } = declaration.source;
    declaration.source = { ...rest, pageSize: 50, permission: "Directory.Read.All", path };
    writeFileSync(usersFile(), JSON.stringify(declaration, null, 4));
    const run = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    writeFileSync(usersFile(), original());
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^users: reading changes since the last run$/m);
    expect(run.out).toMatch(/^users\s+ok\s+0\s+0\s+0\s+0\s+1\s/m);
  });

  test("state the previous Kaivo wrote (its fingerprint hashed the source and sync whole) is read as current", async () => {
    const users = declarations.find((d) => d.name === "users")!;
    const run = await runWithStoredFingerprint(planTable(users, declarations).earlierFingerprints[1]!);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^users: reading changes since the last run$/m);
  });

  test("a declaration that does not ask Graph for its fields (no source.select) is warned of the columns Graph left empty", async () => {
    const declaration = JSON.parse(original());
    delete declaration.source.select;
    writeFileSync(usersFile(), JSON.stringify(declaration));
    const run = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    writeFileSync(usersFile(), original());
    expect(run.code, run.err).toBe(0);
    const warning = /^users: warning: Graph sent none of [\w, ]+ and \d+ more in the 30 records of the first page; Graph sends a collection's default properties only: set "select": true in the source of tables\/users\.json to ask for every declared one\.$/m;
    expect(run.err).toMatch(warning);
    expect(run.out).toMatch(warning);
    // Put back as it was: the next run asks for every field again.
    const again = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toContain("warning");
  });

  test("a stored column given another type stops the run before it writes, naming the table, the column and both types", async () => {
    const before = await state();
    editUsers((p) => (p.accountEnabled = { type: ["integer", "null"] }));
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    writeFileSync(usersFile(), original());
    expect(run.code).toBe(2);
    const [stored, declared] = warehouse === "duckdb" ? ["BOOLEAN", "BIGINT"] : ["BOOL", "INT64"];
    expect(run.err).toMatch(new RegExp(`^error: users\\.account_enabled is ${stored} in \\S+, but its declaration \\(tables/users\\.json\\) now makes it ${declared}\\.\\nhint: Kaivo never changes the type of a stored column\\.`));
    expect(run.out).toBe("");
    expect(await state()).toBe(before);
  });

  test("a stored string column declared an object is a change of type too", async () => {
    editUsers((p) => (p.jobTitle = { type: ["object", "null"], properties: { name: { type: ["string", "null"] } } }));
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    writeFileSync(usersFile(), original());
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^error: users\.job_title is (VARCHAR|STRING) in \S+, but its declaration \(tables\/users\.json\) now makes it (STRUCT\("name" VARCHAR\)|RECORD)\./);
  });

  test("a full-refresh table follows a retyped column where the warehouse rebuilds it (DuckDB), and stops the run where it keeps it (BigQuery)", async () => {
    const file = join(tenant.dir, "tables", "directoryroletemplates.json");
    const declaration = JSON.parse(readFileSync(join(TABLES, "directoryroletemplates.json"), "utf8"));
    declaration.schema.properties.deletedDateTime = { type: ["string", "null"] };
    writeFileSync(file, JSON.stringify(declaration));
    const run = await kaivo(["run", "--tables", "directoryroletemplates"], { cwd: tenant.dir, env: tenant.env });
    writeFileSync(file, readFileSync(join(TABLES, "directoryroletemplates.json"), "utf8"));
    if (warehouse === "duckdb") {
      expect(run.code, run.err).toBe(0);
      expect(await tenant.query(() => "SELECT data_type FROM information_schema.columns WHERE table_name = 'directoryroletemplates' AND column_name = 'deleted_date_time'")).toStrictEqual([{ data_type: "VARCHAR" }]);
    } else {
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/^error: directoryroletemplates\.deleted_date_time is TIMESTAMP in \S+, but its declaration \(tables\/directoryroletemplates\.json\) now makes it STRING\./);
    }
  });

  test("a column renamed in the declaration resyncs the table, which fills the new column; the old one keeps its values", async () => {
    editUsers((p) => (p.jobTitle = { ...p.jobTitle, "x-kaivo-column": "job_name" }));
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    writeFileSync(usersFile(), original());
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^users: full resync: its columns changed, or what it asks Graph for \(the config's selection or the declaration\)/m);
    const rows = await tenant.query((t) => `SELECT count(*) AS n, count(job_name) AS named, countif(job_name IS DISTINCT FROM job_title) AS differ FROM ${t("users")}`.replace("countif(", warehouse === "duckdb" ? "count_if(" : "COUNTIF("));
    expect(rows[0]).toMatchObject({ n: 30, differ: 0 });
    expect(Number(rows[0]!.named)).toBeGreaterThan(0);
  });

  test("records a too-strict declaration rejected are read again once it is corrected; meanwhile their rows stay as stored", async () => {
    const victim = String([...tenant.sim.control.objects("users")][4]!.id);
    const jobTitle = async () => (await tenant.query((t) => `SELECT job_title, _kaivo_deleted_reason AS reason FROM ${t("users")} WHERE id = '${victim}'`))[0];
    const stored = await jobTitle();
    tenant.sim.control.updateUser(victim, { jobTitle: "Chief Auditor" });
    editUsers((p) => (p.jobTitle = { ...p.jobTitle, maxLength: 3 }));
    const strict = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    expect(strict.code, strict.err).toBe(0);
    expect(strict.out).toMatch(/^users\s+ok\s+0\s+\d+\s+0\s+[1-9]\d*\s/m);
    expect(await jobTitle()).toStrictEqual(stored);

    writeFileSync(usersFile(), original());
    const corrected = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    expect(corrected.code, corrected.err).toBe(0);
    expect(corrected.err).toMatch(/^users: full resync: its columns changed/m);
    expect(await jobTitle()).toStrictEqual({ job_title: "Chief Auditor", reason: null });
  });

  test("a table dropped by hand (as the retype hint suggests) is read whole again, and so is a relation's parent", async () => {
    const count = async (table: string) => Number((await tenant.query((t) => `SELECT count(*) AS n FROM ${t(table)}`))[0]!.n);
    const [users, edges] = [await count("users"), await count("group_members")];
    await tenant.query((t) => `DROP TABLE ${t("users")}`);
    await tenant.query((t) => `DROP TABLE ${t("group_members")}`);
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^users: full resync: the warehouse no longer had users, so Graph must send every object again$/m);
    expect(run.err).toMatch(/^groups: full resync: the warehouse no longer had group_members, so Graph must send every object again$/m);
    expect(await count("users")).toBe(users);
    expect(await count("group_members")).toBe(edges);
  });

  test("a delta table switched to full refresh and back: the views build over it either way, with the tenant's live users", async () => {
    const live = async () => (await tenant.query((t) => `SELECT count(*) AS n FROM ${t("stg_users")}`))[0]!.n;
    cpSync(MODELS, join(tenant.dir, "models"), { recursive: true });
    const deleted = String([...tenant.sim.control.objects("users")][3]!.id);
    tenant.sim.control.deleteUser(deleted);
    expect((await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
    const declaration = JSON.parse(original());
    delete declaration.source.deltaPath;
    delete declaration.source.initialRound;
    writeFileSync(usersFile(), JSON.stringify({ ...declaration, sync: { mode: "full_refresh" } }));
    const switched = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    expect(switched.code, switched.err).toBe(0);
    const build = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
    expect(build.code, build.out + build.err).toBe(0);
    expect(await live()).toEqual(29);
    expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("users")} WHERE id = '${deleted}'`)).toEqual([{ n: 0 }]);

    writeFileSync(usersFile(), original());
    const back = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    expect(back.code, back.err).toBe(0);
    expect((await kaivo(["build"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
    expect(await live()).toEqual(29);
  });

  test("a view (a model built earlier) in the place of a table to sync stops the run, naming it", async () => {
    await tenant.query((t) => `CREATE VIEW ${t("identityproviders")} AS SELECT 1 AS x`);
    const run = await kaivo(["run", "--tables", "identityproviders"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^error: identityproviders is a view in \S+, not a synced table: a model has the name of a declared table\.\nhint: Rename the model/);
  });
});

/** A newer declaration adds a sub-field to a RECORD the warehouse already stores (Graph added a property, say). */
describe.each(WAREHOUSES)("a sub-field added to a stored RECORD column, in %s", (warehouse) => {
  let tenant: TestTenant;
  afterAll(() => tenant.close());

  test("the column takes it and the resync fills it in every stored row", async () => {
    tenant = await startTenant({ users: 20, seed: 82 }, { tables: { users: {} } }, warehouse);
    cpSync(TABLES, join(tenant.dir, "tables"), { recursive: true });
    editDeclaration(tenant.dir, "users", (declaration) => delete declaration.schema.properties.identities.items.properties.issuerAssignedId);
    expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);

    cpSync(join(TABLES, "users.json"), join(tenant.dir, "tables", "users.json"));
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^users: full resync: its columns changed/m);
    const rows = await tenant.query((t) => `SELECT user_principal_name AS upn, identities FROM ${t("users")}`);
    const members = rows.flatMap((r) => (r.identities as Array<Record<string, unknown>>).filter((i) => i.issuer !== "ExternalAzureAD").map((i) => [r.upn, i.issuer_assigned_id]));
    expect(members.length).toBeGreaterThan(0);
    expect(members.filter(([upn, assigned]) => assigned !== upn)).toStrictEqual([]);
  }, 60_000);
});

/** A user's declaration types a field `format: "date"`, as Graph's Edm.Date values are ("2024-05-06"). */
describe.each(WAREHOUSES)("a field declared as a date, in %s", (warehouse) => {
  let tenant: TestTenant;
  afterAll(() => tenant.close());

  test("is stored in a DATE column; a value that is not a date is rejected, naming the format", async () => {
    tenant = await startTenant({ users: 20, seed: 83 }, { tables: { users: {} } }, warehouse);
    cpSync(TABLES, join(tenant.dir, "tables"), { recursive: true });
    // `state` is a property the simulator serves (null unless set); the project declares it a date.
    editDeclaration(tenant.dir, "users", (declaration) => (declaration.schema.properties.state = { type: ["string", "null"], format: "date" }));
    const [dated, misdated] = [...tenant.sim.control.objects("users")].map((u) => String(u.id));
    tenant.sim.control.updateUser(dated!, { state: "2024-02-29" });
    tenant.sim.control.updateUser(misdated!, { state: "02/29/2024" });

    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^users\s+ok\s+19\s+0\s+0\s+1\s/m);
    expect(await tenant.query((t) => `SELECT record_id, reason FROM ${t("_kaivo_rejects")}`)).toStrictEqual([{ record_id: misdated, reason: '/state must match format "date"' }]);
    // Date arithmetic works on it, and it reads back as the date alone.
    const rows = await tenant.query((t) => `SELECT id, EXTRACT(DAY FROM state) AS day, CAST(state AS STRING) AS text FROM ${t("users")} WHERE state IS NOT NULL`);
    expect(rows.map((r) => ({ ...r, day: Number(r.day) }))).toStrictEqual([{ id: dated, day: 29, text: "2024-02-29" }]);
  }, 60_000);
});

describe("a declaration that drops a column a model reads", () => {
  test("on a fresh warehouse the model fails with the warehouse's error and a hint that no declaration has the column", async () => {
    const tenant = await startTenant({ users: 10, seed: 83 }, { tables: { users: {} } });
    try {
      copyProject(tenant.dir);
      editDeclaration(tenant.dir, "users", (declaration) => delete declaration.schema.properties.jobTitle);
      expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
      const build = await kaivo(["build", "--select", "stg_users"], { cwd: tenant.dir, env: tenant.env });
      expect(build.code).toBe(1);
      expect(build.out).toMatch(/^FAILED  view stg_users .*\n {2}models\/staging\/stg_users\.sql: .*job_title[\s\S]*?\n {2}hint: no declaration in tables\/ has a column job_title; if one dropped or renamed it, restore it there, or change the model\n/m);
    } finally {
      await tenant.close();
    }
  });
});

describe("a table named like a model", () => {
  test("kaivo run stops before writing, naming the declaration and the model: building would replace the table", async () => {
    const tenant = await startTenant({ users: 5, seed: 84 }, { tables: { privileged_access: {} } });
    try {
      copyProject(tenant.dir);
      const declaration = JSON.parse(readFileSync(join(TABLES, "identityproviders.json"), "utf8"));
      writeFileSync(join(tenant.dir, "tables", "privileged_access.json"), JSON.stringify({ ...declaration, name: "privileged_access" }));
      const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
      expect(run.code).toBe(2);
      expect(run.err).toBe(
        `error: ${join(tenant.dir, "tables", "privileged_access.json")}: declares table privileged_access, which is also the name of the model models/access_review/privileged_access.sql; building the models would replace the table's synced rows\nhint: Rename the table (its file and its "name"), or the model's file.\n`,
      );
      expect(existsSync(tenant.database)).toBe(false);
      // codegen refuses it too, generating nothing.
      const codegen = await kaivo(["codegen"], { cwd: tenant.dir });
      expect(codegen.code).toBe(2);
      expect(codegen.err).toContain("declares table privileged_access, which is also the name of the model models/access_review/privileged_access.sql");
      expect(existsSync(join(tenant.dir, "generated"))).toBe(false);
    } finally {
      await tenant.close();
    }
  });
});

describe("a model named like a table synced earlier, whose declaration the project no longer has", () => {
  test("kaivo build refuses the model, naming it, and the synced rows stay", async () => {
    const tenant = await startTenant({ users: 5, seed: 85 }, { tables: { identityproviders: {} } });
    try {
      copyProject(tenant.dir);
      expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
      const rows = await tenant.query((t) => `SELECT count(*) AS n FROM ${t("identityproviders")}`);
      // The project drops the declaration (and the selection) and adds a model of that name.
      rmSync(join(tenant.dir, "tables", "identityproviders.json"));
      tenant.writeConfig({ tables: { users: {} } });
      writeFileSync(join(tenant.dir, "models", "identityproviders.sql"), `---\n{ "materialized": "view", "description": "Mine." }\n---\nSELECT 'x' AS name\n`);
      const build = await kaivo(["build", "--select", "identityproviders"], { cwd: tenant.dir, env: tenant.env });
      expect(build.code).toBe(2);
      expect(build.err).toContain(
        "models/identityproviders.sql: has the name of the table identityproviders, which a sync wrote into the warehouse (no declaration here names it any more), and whose rows building it would replace; rename the file",
      );
      expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("identityproviders")}`)).toStrictEqual(rows);
    } finally {
      await tenant.close();
    }
  });
});

describe("a cursor table whose declaration changes its key after a sync", () => {
  test("the run stops before it writes, naming both keys, also after a state reset; with the table dropped, the next run syncs it anew", async () => {
    const tenant = await startTenant({ users: 20, seed: 86 }, { tables: { directoryaudits: {} } });
    try {
      copyProject(tenant.dir);
      expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
      const count = async () => (await tenant.query((t) => `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM ${t("directoryaudits")}`))[0];
      const before = await count();
      expect(Number(before!.n)).toBeGreaterThan(10);
      const state = async () => (await kaivo(["state", "show"], { cwd: tenant.dir })).out;
      const stored = await state();
      editDeclaration(tenant.dir, "directoryaudits", (declaration) => {
        declaration.primaryKey = ["category"];
        declaration.schema.properties.category.type = "string";
        declaration.schema.required = [...declaration.schema.required, "category"];
      });

      const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
      expect(run.code).toBe(2);
      expect(run.err).toMatch(
        /^error: directoryaudits was synced into \S+ keyed on \["id"\], but its declaration \(tables\/directoryaudits\.json\) now keys it on \["category"\]\.\nhint: Rows merged by another key would overwrite rows the old key kept apart\. Restore primaryKey, or drop the table/,
      );
      expect(await count()).toStrictEqual(before);
      expect(await state()).toBe(stored);
      // Forgetting the cursor does not forget what the rows were merged by.
      expect((await kaivo(["state", "reset", "directoryaudits"], { cwd: tenant.dir })).code).toBe(0);
      const afterReset = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
      expect(afterReset.code).toBe(2);
      expect(afterReset.err).toMatch(/^error: directoryaudits was synced into \S+ keyed on \["id"\], but its declaration/);
      expect(await count()).toStrictEqual(before);

      await tenant.query((t) => `DROP TABLE ${t("directoryaudits")}`);
      const anew = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
      expect(anew.code, anew.err).toBe(0);
      // Keyed on the category now: one row per category, as the declaration says.
      const after = await count();
      expect(Number(after!.n)).toBeLessThan(Number(before!.n));
    } finally {
      await tenant.close();
    }
  });
});

describe.each(WAREHOUSES)("an audit event the declaration rejects, in %s", (warehouse) => {
  test("kaivo build counts it as missing, past the look-back too, until a declaration that accepts it has the next sync read every event again", async () => {
    const tenant = await startTenant({ users: 20, seed: 87 }, { tables: { directoryaudits: {} } }, warehouse);
    try {
      copyProject(tenant.dir);
      expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
      // Three hours before an event of now: outside the 60-minute look-back of every incremental run from then on.
      const odd = tenant.sim.control.appendAuditEvent({ activityDisplayName: "Odd event", result: "partial", activityDateTime: new Date(Date.now() - 3 * 3_600_000).toISOString() });
      tenant.sim.control.appendAuditEvent();
      const stored = () => tenant.query((t) => `SELECT result FROM ${t("directoryaudits")} WHERE id = '${String(odd.id)}'`);
      const run = () => kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
      const build = async () => (await kaivo(["build", "--select", "stg_directory_audits"], { cwd: tenant.dir, env: tenant.env })).out;
      const note =
        "\nNote: directoryaudits lacks 1 record that failed validation (see _kaivo_rejects); no later sync reads it again unless the declaration changes: one that accepts it makes the next sync read every record Graph still keeps.\n";

      // A stricter declaration: the sync reads every event again, and rejects the odd one.
      editDeclaration(tenant.dir, "directoryaudits", (declaration) => (declaration.schema.properties.result.enum = ["success", "failure", "timeout", "unknownFutureValue", null]));
      expect((await run()).out).toMatch(/^directoryaudits\s+ok\s+\d+\s+\d+\s+0\s+1\s/m);
      expect(await stored()).toStrictEqual([]);
      expect(await build()).toContain(note);
      const json = await kaivo(["build", "--select", "stg_directory_audits", "--json"], { cwd: tenant.dir, env: tenant.env });
      expect(JSON.parse(json.out).rejectedObjects).toStrictEqual({ directoryaudits: 1 });
      // The next incremental run does not read it again, and it stays counted.
      expect((await run()).out).toMatch(/^directoryaudits\s+ok\s+\d+\s+\d+\s+0\s+0\s/m);
      expect(await build()).toContain(note);

      editDeclaration(tenant.dir, "directoryaudits", (declaration) => delete declaration.schema.properties.result.enum);
      const rereading = await run();
      expect(rereading.code, rereading.err).toBe(0);
      expect(await stored()).toStrictEqual([{ result: "partial" }]);
      expect(await build()).not.toContain("Note: directoryaudits");
    } finally {
      await tenant.close();
    }
  });
});

describe("a project of one's own, run from another folder with --config", () => {
  test("its own declarations are used, not the bundled ones", async () => {
    const tenant = await startTenant({ users: 5, seed: 87 }, { tables: { identityproviders: {} } });
    try {
      copyProject(tenant.dir);
      editDeclaration(tenant.dir, "identityproviders", (declaration) => delete declaration.schema.properties.clientId);
      const elsewhere = join(tenant.dir, "models");
      const run = await kaivo(["run", "--config", join(tenant.dir, "kaivo.json")], { cwd: elsewhere, env: tenant.env });
      expect(run.code, run.err).toBe(0);
      const columns = await tenant.query(() => "SELECT column_name FROM information_schema.columns WHERE table_name = 'identityproviders' AND column_name LIKE '%client%'");
      expect(columns).toStrictEqual([]);
    } finally {
      await tenant.close();
    }
  });
});
