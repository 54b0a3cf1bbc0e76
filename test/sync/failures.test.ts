import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { declarations } from "../support/expected.js";
import { kaivo, spawnKaivo } from "../support/kaivo.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

let tenant: TestTenant;
const CANARY = "kaivo-canary-secret-7f3a9c";
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

beforeAll(async () => {
  tenant = await startTenant({ users: 40, seed: 41, clientSecret: CANARY }, { tables: Object.fromEntries(declarations.map((d) => [d.name, {}])) });
});
afterAll(() => tenant.close());

describe("bad usage and config exit 2 and write nothing", () => {
  test.each([
    ["an unknown config field", { colour: "blue" }, /kaivo\.json at \/: unknown field "colour"/],
    ["an unknown table", { tables: { userz: {} } }, /kaivo\.json at \/tables\/userz: unknown table "userz"\nhint: Declared tables: .*users/],
    ["an unknown column", { tables: { users: { columns: ["id", "shoeSize"] } } }, /kaivo\.json at \/tables\/users\/columns: unknown column "shoeSize" of users/],
    ["an empty table selection", { tables: {} }, /kaivo\.json at \/tables: is empty: name at least one table, or leave the field out for every default table\n/],
    ["an empty column list", { tables: { users: { columns: [] } } }, /kaivo\.json at \/tables\/users\/columns: is empty: name at least one, or leave the field out for all of them\n/],
    ["a warehouse file in a folder that does not exist", { warehouse: { type: "duckdb", path: "missing/kaivo.duckdb" } }, /kaivo\.json at \/warehouse\/path: cannot open the DuckDB warehouse \S*\/missing\/kaivo\.duckdb: No such file or directory\nhint: Give the path of a DuckDB file \(or of one to create\) in a folder that exists/],
    ["a warehouse path that names a file of another kind (DuckDB would open a JSON or CSV file as a view, and keep nothing)", { warehouse: { type: "duckdb", path: "kaivo.json" } }, /kaivo\.json at \/warehouse\/path: cannot open the DuckDB warehouse \S+\/kaivo\.json: it is not a DuckDB database file\n/],
    ["a warehouse path that is a folder", { warehouse: { type: "duckdb", path: "." } }, /kaivo\.json at \/warehouse\/path: cannot open the DuckDB warehouse \S+: Is a directory\n/],
    ["an empty BigQuery key file path (it fell back to Application Default Credentials)", { warehouse: { type: "bigquery", project: "my-project", keyFile: "" } }, /kaivo\.json at \/warehouse\/keyFile: must NOT have fewer than 1 characters/],
    ["a BigQuery project's name instead of its ID", { warehouse: { type: "bigquery", project: "My Project!" } }, /kaivo\.json at \/warehouse\/project: "My Project!" is not a Google Cloud project ID \(6 to 30 lowercase letters, digits and hyphens, starting with a letter; the ID, not the project's name\)\n/],
    ["a BigQuery endpoint that is no URL", { warehouse: { type: "bigquery", project: "my-project", apiEndpoint: "not a url" } }, /kaivo\.json at \/warehouse\/apiEndpoint: "not a url" is not an http\(s\) URL\n/],
    ["a BigQuery key file that does not exist", { warehouse: { type: "bigquery", project: "my-project", keyFile: "nope.json" } }, /kaivo\.json at \/warehouse\/keyFile: cannot read \S*\/nope\.json \(ENOENT\)\n/],
    ["a Graph URL without the API version", { graph: { baseUrl: "https://graph.microsoft.com" } }, /kaivo\.json at \/graph\/baseUrl: "https:\/\/graph\.microsoft\.com" does not end with Graph's API version, \/v1\.0\nhint: Give Graph's root with its version, such as https:\/\/graph\.microsoft\.com\/v1\.0/],
    ["a login URL with the tenant in it", { graph: { loginUrl: "https://login.microsoftonline.com/contoso.onmicrosoft.com" } }, /kaivo\.json at \/graph\/loginUrl: "https:\/\/login\.microsoftonline\.com\/contoso\.onmicrosoft\.com" has a path; Kaivo adds the tenant to the login host itself\nhint: Give the login host alone/],
    ["a Graph URL over plain HTTP", { graph: { baseUrl: "http://graph.microsoft.com/v1.0" } }, /kaivo\.json at \/graph\/baseUrl: "http:\/\/graph\.microsoft\.com\/v1\.0" is not an https URL: Graph and its login host answer over HTTPS only\n/],
    ["a schema name with a dash", { warehouse: { type: "duckdb", schema: "entra-id" } }, /kaivo\.json at \/warehouse\/schema: "entra-id" is not a plain schema name \(letters, digits and underscores, not starting with a digit\)\n/],
    ["a CA file that holds no certificate", { graph: { caFile: "kaivo.json" } }, /kaivo\.json at \/graph\/caFile: \S+\/kaivo\.json holds no PEM certificate \(no "-----BEGIN CERTIFICATE-----" line\)\nhint: Give the CA certificate in PEM form/],
    ["a wrong warehouse type", { warehouse: { type: "snowflake" } }, /kaivo\.json at \/warehouse: unknown warehouse type; use "duckdb" or "bigquery"/],
    ["no tenant id", { tenantId: undefined }, /kaivo\.json at \/tenantId: no tenant id\nhint: Set tenantId in the config file or AZURE_TENANT_ID in the environment: the Directory \(tenant\) ID/],
    ["the tenant id kaivo init wrote", { tenantId: "00000000-0000-0000-0000-000000000000" }, /kaivo\.json at \/tenantId: still the placeholder `kaivo init` wrote\nhint: Set tenantId/],
    ["a tenant id that is neither a GUID nor a domain name (not repeated: it may be the secret)", { tenantId: "Kv8Q~canary.SECRET_abc123-xyz" }, /kaivo\.json at \/tenantId: is not a tenant id \(a GUID\) or a domain name \(it is not shown: if it is the client secret, it belongs in AZURE_CLIENT_SECRET\)\nhint: Set tenantId/],
    ["a client id that is no GUID", { clientId: "my-app" }, /kaivo\.json at \/clientId: "my-app" is not an application \(client\) id, which is a GUID\nhint: Set clientId/],
    ["the userId kaivo init wrote", { userId: "object id of the user whose deleted groups and apps to list (optional)" }, /kaivo\.json at \/userId: "object id of the user whose deleted groups and apps to list \(optional\)" is not a user's object id, which is a GUID\nhint: Set userId to the Object ID on the user's page in the Entra admin center, or leave user_owned_deleted_items out of the selection\./],
    ["a secret in the file", { clientSecret: "x" }, /kaivo\.json at \/clientSecret: secrets do not belong in the config file\nhint: .*AZURE_CLIENT_SECRET/],
    ["no userId for a table that reads the user's deleted items", { userId: undefined }, /kaivo\.json at \/userId: table user_owned_deleted_items needs the object id of a user\nhint: Set userId in the config, or leave the table out of the selection\./],
  ])("%s", async (_name, extra, message) => {
    tenant.writeConfig(extra);
    const result = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    expect(result.err).toMatch(message);
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
    tenant.writeConfig();
  });

  test("--tables given twice syncs the tables of both", async () => {
    const result = await kaivo(["check", "--tables", "identityproviders", "--tables", "directoryroletemplates"], { cwd: tenant.dir, env: tenant.env });
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^identityproviders\s/m);
    expect(result.out).toMatch(/^directoryroletemplates\s/m);
  });

  test("a config path that is a folder, and a memory limit that is not a size, are usage errors naming them", async () => {
    const folder = await kaivo(["run", "--config", "."], { cwd: tenant.dir, env: tenant.env });
    expect(folder.err).toBe(`error: ${tenant.dir}: is a folder, not a config file\nhint: Pass --config the path of the JSON config file (\`npx kaivo init\` writes one), readable by this user.\n`);
    expect(folder.code).toBe(2);
    // DuckDB's settings are read from the process's environment.
    process.env.KAIVO_DUCKDB_MEMORY_LIMIT = "'1GB'";
    const limit = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env }).finally(() => delete process.env.KAIVO_DUCKDB_MEMORY_LIMIT);
    expect(limit.err).toBe(`error: KAIVO_DUCKDB_MEMORY_LIMIT: "'1GB'" is not a size\nhint: Give a number and a unit, such as 1GB or 512MB (without quotes), or unset it for Kaivo's defaults.\n`);
    expect(limit.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });

  test("ids and the secret pasted with a space or line break at either end are used without it", async () => {
    const padded = { AZURE_TENANT_ID: ` ${tenant.sim.tenantId}\n`, AZURE_CLIENT_ID: `${tenant.sim.clientId} `, AZURE_CLIENT_SECRET: `${tenant.env.AZURE_CLIENT_SECRET}\n` };
    const result = await kaivo(["check", "--tables", "identityproviders"], { cwd: tenant.dir, env: { ...tenant.env, ...padded } });
    expect(result.code, result.err).toBe(0);
  });

  test("the client secret pasted as AZURE_CLIENT_ID is refused without being repeated, naming the variable", async () => {
    const pasted = "Kv8Q~canary.SECRET_abc123-xyz";
    const result = await kaivo(["run"], { cwd: tenant.dir, env: { ...tenant.env, AZURE_CLIENT_ID: pasted } });
    expect(result.err).toBe(
      "error: AZURE_CLIENT_ID in the environment: is not an application (client) id, which is a GUID (it is not shown: if it is the client secret, it belongs in AZURE_CLIENT_SECRET)\n" +
        "hint: Set clientId in the config file or AZURE_CLIENT_ID in the environment: the Application (client) ID on the app registration's Overview page.\n",
    );
    expect(result.out).not.toContain(pasted);
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });

  test("a config file that is not JSON: where the mistake is, by line and column", async () => {
    writeFileSync(join(tenant.dir, "kaivo.json"), `{\n  "tenantId": "${tenant.sim.tenantId}",\n}\n`);
    const result = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    tenant.writeConfig();
    expect(result.err).toBe(`error: ${join(tenant.dir, "kaivo.json")}: is not valid JSON: Expected double-quoted property name at line 3, column 1\n`);
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });

  test("kaivo check reaches the warehouse without writing: before the first run it names the file a run will create; a folder that does not exist is exit 2", async () => {
    const fresh = await kaivo(["check", "--tables", "identityproviders"], { cwd: tenant.dir, env: tenant.env });
    expect(fresh.code, fresh.err).toBe(0);
    expect(fresh.out).toContain(`\nWarehouse ${tenant.database}: not created yet; the first run creates it.\n`);
    expect(existsSync(tenant.database)).toBe(false);

    tenant.writeConfig({ warehouse: { type: "duckdb", path: "missing/kaivo.duckdb" } });
    const missing = await kaivo(["check", "--tables", "identityproviders"], { cwd: tenant.dir, env: tenant.env });
    tenant.writeConfig();
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^error: \S*kaivo\.json at \/warehouse\/path: cannot open the DuckDB warehouse \S*\/missing\/kaivo\.duckdb: No such file or directory\n/);
  });

  test("a config file saved with a byte-order mark (as some Windows editors do) is read", async () => {
    const config = join(tenant.dir, "kaivo.json");
    writeFileSync(config, `\uFEFF${readFileSync(config, "utf8")}`);
    const result = await kaivo(["check"], { cwd: tenant.dir, env: tenant.env });
    tenant.writeConfig();
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
  });

  test("a missing client secret", async () => {
    const result = await kaivo(["run"], { cwd: tenant.dir, env: {} });
    expect(result.err).toBe("error: AZURE_CLIENT_SECRET: is not set\nhint: Export the app registration's client secret as AZURE_CLIENT_SECRET; Kaivo never reads it from a file or flag.\n");
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });

  test("a login host whose certificate is not trusted (no graph.caFile): the TLS failure, named as such, with the field to set", async () => {
    tenant.writeConfig({ graph: { baseUrl: tenant.sim.graphBaseUrl, loginUrl: tenant.sim.authorityHost } });
    const result = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    tenant.writeConfig();
    expect(result.err).toMatch(/^error: Could not get a token for app \S+: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)\.\nhint: Set graph\.caFile to the PEM file of the CA/);
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });

  test("a Graph host the login endpoint signs no tokens for: the error names graph.baseUrl", async () => {
    tenant.writeConfig({ graph: { baseUrl: "https://graph.example.test/v1.0", loginUrl: tenant.sim.authorityHost, caFile: tenant.sim.caFile } });
    const result = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    tenant.writeConfig();
    expect(result.err).toMatch(/^error: The token endpoint knows no resource for the scope https:\/\/graph\.example\.test\/\.default in tenant \S+ \(AADSTS500011\): it signs no tokens for that Graph host\.\nhint: Check graph\.baseUrl/);
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });

  test("a login host nobody answers at: the error says it could not be reached, and why", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const port = (server.address() as AddressInfo).port;
        server.close(() => resolve(port));
      });
    });
    tenant.writeConfig({ graph: { baseUrl: tenant.sim.graphBaseUrl, loginUrl: `https://127.0.0.1:${closed}`, caFile: tenant.sim.caFile } });
    const result = await kaivo(["check"], { cwd: tenant.dir, env: tenant.env });
    tenant.writeConfig();
    expect(result.err).toBe(`error: Could not reach the login host 127.0.0.1:${closed} (ECONNREFUSED).\nhint: Check graph.loginUrl and that the host is reachable from here (a proxy or firewall may stand in the way).\n`);
    expect(result.code).toBe(1);
  }, 30_000);

  test("a client secret the tenant rejects: one error before the warehouse is opened", async () => {
    const result = await kaivo(["run"], { cwd: tenant.dir, env: { AZURE_CLIENT_SECRET: "not-the-secret" } });
    expect(result.err).toBe(
      `error: The client secret for app ${tenant.sim.clientId} was rejected by tenant ${tenant.sim.tenantId} (AADSTS7000215). Check AZURE_CLIENT_SECRET.\nhint: Use the secret's Value from the app registration, not its Secret ID.\n`,
    );
    expect(result.out).toBe("");
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });

  test("a tenant the login host does not know: named as such, exit 2, not retried as an unreachable host", async () => {
    const unknown = "7c21dffd-57e2-47fd-8fdd-000000000000";
    tenant.writeConfig({ tenantId: unknown });
    const result = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    tenant.writeConfig();
    expect(result.err).toBe(
      `error: Tenant ${unknown} was not found at ${new URL(tenant.sim.authorityHost).host} (AADSTS90002).\nhint: Check the tenant id (AZURE_TENANT_ID, or tenantId in the config) and graph.loginUrl, the cloud it signs in at.\n`,
    );
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });

  test("a BigQuery key file that is not one, without quoting the private key it may hold", async () => {
    writeFileSync(join(tenant.dir, "key.pem"), `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n`);
    tenant.writeConfig({ warehouse: { type: "bigquery", project: "my-project", keyFile: "key.pem" } });
    const result = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    tenant.writeConfig();
    expect(result.err).toBe(
      `error: ${join(tenant.dir, "kaivo.json")} at /warehouse/keyFile: ${join(tenant.dir, "key.pem")} is not a Google credentials file (JSON with a "type", such as a service-account key)\nhint: Download a JSON key for the service account, or leave keyFile out to use Application Default Credentials.\n`,
    );
    expect(result.code).toBe(2);
  });

  test("a temporary folder that does not exist: named with TMPDIR, before anything is written", async () => {
    const own = await startTenant({ users: 5, seed: 44 }, {});
    try {
      const missing = join(own.dir, "no-such-folder");
      // A process of its own: the temporary folder is read from the process's environment.
      const child = spawnKaivo(["run"], { cwd: own.dir, env: { ...own.env, TMPDIR: missing } });
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
      const result = { code, err };
      expect(result.code, result.err).toBe(2);
      expect(result.err).toContain(`Cannot create a folder for staged rows in ${missing} (ENOENT: the folder does not exist).`);
      expect(result.err).toMatch(/hint: .*point TMPDIR at a writable folder/);
      expect(result.err).not.toMatch(/a bug in Kaivo/);
      expect(await own.query(() => "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'main'")).toStrictEqual([{ n: 0 }]);
    } finally {
      await own.close();
    }
  });

  test("a --tables flag that names no table", async () => {
    const result = await kaivo(["run", "--tables", " , "], { cwd: tenant.dir, env: tenant.env });
    expect(result.err).toBe("error: --tables: names no table\nhint: Give a comma-separated list such as --tables users,groups, or leave the flag out for the config's selection.\n");
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });

  test("an unknown --tables name", async () => {
    const result = await kaivo(["run", "--tables", "users,nope"], { cwd: tenant.dir, env: tenant.env });
    expect(result.err).toMatch(/^error: --tables: unknown table "nope"/);
    expect(result.code).toBe(2);
    expect(existsSync(tenant.database)).toBe(false);
  });
});

describe("a missing Graph permission", () => {
  test("kaivo check --tables probes only the tables named (a relation through its parent) and names the permission one lacks", async () => {
    tenant.sim.control.revokePermission("AuditLog.Read.All");
    const result = await kaivo(["check", "--tables", "directoryaudits,group_members", "--json"], { cwd: tenant.dir, env: tenant.env });
    tenant.sim.control.grantPermission("AuditLog.Read.All");
    expect(result.code).toBe(1);
    const tables = (JSON.parse(result.out) as { tables: Array<{ table: string; status: string; permission: string }> }).tables;
    expect(tables.map((t) => [t.table, t.status, t.permission])).toStrictEqual([
      ["directoryaudits", "missing-permission", "AuditLog.Read.All + Directory.Read.All"],
      ["groups", "ok", "GroupMember.Read.All"],
    ]);
  });

  test("fails the tables that need it, naming the permission and the app, while the others commit", async () => {
    tenant.sim.control.revokePermission("AuditLog.Read.All");
    const result = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    tenant.sim.control.grantPermission("AuditLog.Read.All");
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^directoryaudits\s+FAILED/m);
    expect(result.out).toMatch(/^user_sign_in_activity\s+FAILED/m);
    expect(result.out).toMatch(new RegExp(`Grant the application permission AuditLog\\.Read\\.All and Directory\\.Read\\.All to app ${tenant.sim.clientId}`));
    expect(result.out).toMatch(/^users\s+ok/m);
    expect(result.out).toContain(`${declarations.length - 2} of ${declarations.length} tables synced`);
    expect(await tenant.query((t) => `SELECT count(*) > 0 AS some FROM ${t("users")}`)).toStrictEqual([{ some: true }]);
    expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("directoryaudits")}`)).toStrictEqual([{ n: 0 }]);

    // Views built now show older data for the failed tables: the build says which, and why.
    const build = await kaivo(["build", "--select", "stg_directory_audits"], { cwd: tenant.dir });
    expect(build.code, build.out).toBe(0);
    expect(build.out).toMatch(/\nWarning: the last sync of directoryaudits failed \(\d{4}-\d\d-\d\dT[\d:.]+Z\): Graph denied access to \/auditLogs\/directoryAudits \(403 Authorization_RequestDenied\)\. Grant the application permission AuditLog\.Read\.All/);
    expect(build.out).toMatch(/\nWarning: the last sync of user_sign_in_activity failed /);
    expect(build.out).not.toMatch(/last sync of users\b/);
    // A run that finishes them clears the warning.
    expect((await kaivo(["run", "--tables", "directoryaudits,user_sign_in_activity"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
    expect((await kaivo(["build", "--select", "stg_directory_audits"], { cwd: tenant.dir })).out).not.toMatch(/Warning/);
  });
});

describe("a tenant without the Entra ID P1/P2 licence", () => {
  test("fails user_sign_in_activity naming the licence, not a permission to grant", async () => {
    tenant.sim.control.setSignInActivityLicensed(false);
    const result = await kaivo(["run", "--tables", "user_sign_in_activity"], { cwd: tenant.dir, env: tenant.env });
    tenant.sim.control.setSignInActivityLicensed(true);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^user_sign_in_activity\s+FAILED/m);
    expect(result.out).toContain("(403 Authentication_RequestFromNonPremiumTenantOrB2CTenant). The tenant has no Microsoft Entra ID P1 or P2 licence, which this data needs.");
    expect(result.out, result.out).toContain(`Deselect the table (or column) in the config, or license the tenant; app ${tenant.sim.clientId} also needs AuditLog.Read.All and User.Read.All.`);
    expect(result.out, result.out).not.toContain("Grant the application permission");
  });
});

describe("the client secret never leaks", () => {
  test("not in output, errors, state, rejects or the warehouse file, on success or on a rejected secret", async () => {
    const ok = await kaivo(["run", "--json"], { cwd: tenant.dir, env: tenant.env });
    const rejected = await kaivo(["run"], { cwd: tenant.dir, env: { AZURE_CLIENT_SECRET: `${CANARY}-wrong` } });
    expect(rejected.code).toBe(2);
    expect(rejected.out + rejected.err).toMatch(/AADSTS7000215/);
    const check = await kaivo(["check"], { cwd: tenant.dir, env: tenant.env });
    expect(check.out).toContain(`\nWarehouse ${tenant.database}: reachable; it holds the sync state of ${declarations.filter((d) => !d.relation).length} tables.\n`);
    const state = await kaivo(["state", "show"], { cwd: tenant.dir, env: tenant.env });
    const everything = [ok, rejected, check, state].map((r) => r.out + r.err).join("\n");
    expect(everything).not.toContain(CANARY);
    expect(JSON.stringify(await tenant.query((t) => `SELECT * FROM ${t("_kaivo_state")}`))).not.toContain(CANARY);
    expect(readFileSync(tenant.database).includes(Buffer.from(CANARY))).toBe(false);
    writeFileSync(join(tenant.dir, "out.txt"), everything);
  });
});

describe.each(WAREHOUSES)("a full refresh that rejects some records, into %s", (warehouse) => {
  test("keeps their stored rows as they were, as a delta table does, rather than drop them; the rest are replaced", async () => {
    const own = await startTenant({ users: 20, seed: 45 }, { tables: { user_sign_in_activity: {} } }, warehouse);
    try {
      expect((await kaivo(["run"], { cwd: own.dir, env: own.env })).code).toBe(0);
      const [victim, other] = [...own.sim.control.objects("users")].map((u) => String(u.id));
      const activity = (id: string) => own.query((t) => `SELECT sign_in_activity FROM ${t("user_sign_in_activity")} WHERE id = '${id}'`);
      const before = await activity(victim!);
      expect(before).toHaveLength(1);
      const signIn = (at: unknown) => ({ lastSignInDateTime: at, lastSignInRequestId: "r", lastNonInteractiveSignInDateTime: null, lastNonInteractiveSignInRequestId: null, lastSuccessfulSignInDateTime: null, lastSuccessfulSignInRequestId: null });
      own.sim.control.updateUser(victim!, { signInActivity: signIn(20261206) });
      own.sim.control.updateUser(other!, { signInActivity: signIn("2026-12-01T08:00:00Z") });

      const run = await kaivo(["run"], { cwd: own.dir, env: own.env });
      expect(run.code, run.err).toBe(0);
      expect(run.out).toMatch(/^user_sign_in_activity\s+ok\s+0\s+19\s+0\s+1\s/m);
      expect(await activity(victim!)).toStrictEqual(before);
      expect(await own.query((t) => `SELECT count(*) AS n FROM ${t("user_sign_in_activity")}`)).toStrictEqual([{ n: 20 }]);
      expect(JSON.stringify(await activity(other!))).toContain("2026-12-01");

      // Read and rejected again as it was, the record keeps its one row in _kaivo_rejects, stamped anew.
      const rejectsOf = (id: string) => own.query((t) => `SELECT reason, rejected_at FROM ${t("_kaivo_rejects")} WHERE record_id = '${id}'`);
      const [firstReject] = await rejectsOf(victim!);
      expect(firstReject).toMatchObject({ reason: "/signInActivity/lastSignInDateTime must be string,null" });
      const again = await kaivo(["run"], { cwd: own.dir, env: own.env });
      expect(again.out).toMatch(/^user_sign_in_activity\s+ok\s+0\s+19\s+0\s+1\s/m);
      const rejectedAgain = await rejectsOf(victim!);
      expect(rejectedAgain).toHaveLength(1);
      expect(new Date(String(rejectedAgain[0]!.rejected_at)).getTime()).toBeGreaterThan(new Date(String(firstReject!.rejected_at)).getTime());
      expect(await activity(victim!)).toStrictEqual(before);
      // Views built now show that user's sign-in as it was: the build says so.
      const note = "\nNote: user_sign_in_activity lacks, or holds as they were before, 1 object whose latest record failed validation (see _kaivo_rejects); the next sync reads every record again.\n";
      const build = () => kaivo(["build", "--select", "stg_user_sign_in_activity"], { cwd: own.dir });
      expect((await build()).out).toContain(note);

      own.sim.control.updateUser(victim!, { signInActivity: signIn("2026-12-02T09:00:00Z") });
      const fixed = await kaivo(["run"], { cwd: own.dir, env: own.env });
      expect(fixed.out).toMatch(/^user_sign_in_activity\s+ok\s+0\s+20\s+0\s+0\s/m);
      expect(JSON.stringify(await activity(victim!))).toContain("2026-12-02");
      expect((await build()).out).not.toContain("Note: user_sign_in_activity lacks");
    } finally {
      await own.close();
    }
  });

  test("an audit event that fails validation, read again inside the look-back, keeps one row in _kaivo_rejects", async () => {
    const own = await startTenant({ users: 20, seed: 46 }, { tables: { directoryaudits: {} } }, warehouse);
    try {
      expect((await kaivo(["run"], { cwd: own.dir, env: own.env })).code).toBe(0);
      const bad = own.sim.control.appendAuditEvent({ activityDisplayName: "Odd event", result: 42 });
      const rejectsOf = () => own.query((t) => `SELECT reason, rejected_at FROM ${t("_kaivo_rejects")} WHERE record_id = '${String(bad.id)}'`);
      for (const _run of [1, 2]) {
        const run = await kaivo(["run"], { cwd: own.dir, env: own.env });
        expect(run.out).toMatch(/^directoryaudits\s+ok\s+\d+\s+\d+\s+0\s+1\s/m);
        expect(await rejectsOf()).toStrictEqual([{ reason: "/result must be string,null", rejected_at: expect.anything() }]);
      }
      expect(await own.query((t) => `SELECT count(*) AS n FROM ${t("directoryaudits")} WHERE id = '${String(bad.id)}'`)).toStrictEqual([{ n: 0 }]);
    } finally {
      await own.close();
    }
  });
});

describe("a full refresh whose every record fails validation", () => {
  test("fails the table, naming the first reason and the declaration, and leaves its rows as they were", async () => {
    const own = await startTenant({ users: 20, seed: 43 }, { tables: { directoryroletemplates: {}, identityproviders: {} } });
    try {
      expect((await kaivo(["run"], { cwd: own.dir, env: own.env })).code).toBe(0);
      const before = await own.query((t) => `SELECT id, display_name FROM ${t("directoryroletemplates")} ORDER BY id`);
      expect(before.length).toBeGreaterThan(0);
      // The user's own project: a declaration that no longer matches what Graph sends.
      cpSync(join(REPO_ROOT, "tables"), join(own.dir, "tables"), { recursive: true });
      const file = join(own.dir, "tables", "directoryroletemplates.json");
      const declaration = JSON.parse(readFileSync(file, "utf8"));
      declaration.schema.properties.displayName = { type: ["integer", "null"] };
      writeFileSync(file, JSON.stringify(declaration));

      const run = await kaivo(["run"], { cwd: own.dir, env: own.env });
      expect(run.code).toBe(1);
      expect(run.out).toMatch(/^directoryroletemplates\s+FAILED\s/m);
      expect(run.out).toMatch(/^identityproviders\s+ok\s/m);
      expect(run.out).toContain(`directoryroletemplates failed: all ${before.length} records Graph sent failed validation (the first: /displayName must be integer,null, record `);
      expect(run.out).toContain("so the table was left as it was rather than emptied");
      expect(await own.query((t) => `SELECT id, display_name FROM ${t("directoryroletemplates")} ORDER BY id`)).toStrictEqual(before);
      // Every record is kept with its reason for the diagnosis.
      expect(await own.query((t) => `SELECT count(*) AS n FROM ${t("_kaivo_rejects")} WHERE table_name = 'directoryroletemplates'`)).toStrictEqual([{ n: before.length }]);
      expect(run.out).toMatch(new RegExp(`^directoryroletemplates\\s+FAILED\\s+0\\s+0\\s+0\\s+${before.length}\\s`, "m"));
    } finally {
      await own.close();
    }
  });
});
