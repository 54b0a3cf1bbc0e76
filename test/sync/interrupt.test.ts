import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectedRows, warehouseRows } from "../support/expected.js";
import { kaivo, spawnKaivo } from "../support/kaivo.js";
import { expectRerunResumesToTenantData, LARGE_TENANT_TABLES } from "../support/resume.js";
import { startTenant, type TestTenant } from "../support/tenant.js";

describe("Ctrl-C during a sync", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    // The audit log is read at Graph's pace for it (5 requests per 10 s), in pages of 999 with a
    // checkpoint after each: its round is still under way when its first page has been committed.
    tenant = await startTenant({ users: 4500, seed: 33, deltaPageSize: 50, latencyMs: 15 }, { tables: Object.fromEntries(LARGE_TENANT_TABLES.map((name) => [name, {}])), sync: { batchRows: 20 } });
  });
  afterAll(() => tenant.close());

  test("stops after committing the fetched pages, releases the lease and exits 130; the next run resumes and ends with exactly the tenant's data", async () => {
    // Interrupt once the audit log has committed its first page, mid-round.
    const { out, err, exitCode, interrupted } = await runUntilInterrupted(tenant, (progress) => /^directoryaudits: [\d,]+ rows committed so far$/m.test(progress));
    expect(interrupted, `the run ended before the audit log committed a page:\n${err}`).toBe(true);
    expect(exitCode, err).toBe(130);
    expect(err).toContain("SIGINT: stopping; each table commits the pages it has fetched.");
    expect(out).toMatch(/^directoryaudits\s+STOPPED\s/m);
    expect(out).toMatch(/^Stopped before finishing: .*\bdirectoryaudits\b.*Rows committed so far are kept; the next `kaivo run` resumes from the last checkpoint\.$/m);

    // The pages fetched before the stop were committed whole, with the checkpoint of the page after them.
    const [state] = await tenant.query((t) => `SELECT state FROM ${t("_kaivo_state")} WHERE table_name = 'directoryaudits'`);
    const audits = JSON.parse(String(state!.state)) as { checkpoint?: { nextLink: string } | null };
    expect(audits.checkpoint?.nextLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/auditLogs\/directoryAudits\?/);
    const stored = Number((await tenant.query((t) => `SELECT count(*) AS n FROM ${t("directoryaudits")}`))[0]!.n);
    expect(stored % 999).toBe(0);
    expect(stored).toBeGreaterThanOrEqual(2 * 999);
    expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("_kaivo_state")} WHERE table_name = '__lease__'`)).toStrictEqual([{ n: 0 }]);

    // Views built now would show part of the audit log: the build says so.
    const build = await kaivo(["build", "--select", "stg_directory_audits"], { cwd: tenant.dir });
    expect(build.code, build.err).toBe(0);
    expect(build.out).toMatch(/\nWarning: the last sync stopped partway through directoryaudits\b[\w, ]*; the views over them show only what it read so far\. Finish them with `kaivo run`\.\n$/);

    await expectRerunResumesToTenantData(tenant, "directoryaudits");
    expect((await kaivo(["build", "--select", "stg_directory_audits"], { cwd: tenant.dir })).out).not.toMatch(/Warning/);
  }, 180_000);

  describe("while Graph is slow to answer", () => {
    let slow: TestTenant;
    beforeAll(async () => {
      // Every Graph request takes two minutes: longer than this test may run.
      slow = await startTenant({ users: 60, seed: 34, latencyMs: 120_000 }, { tables: { users: {}, groups: {} } });
    });
    afterAll(() => slow.close());

    test("a stop does not wait for the requests under way: it closes them, commits nothing, releases the lease and exits 130", async () => {
      // Interrupt a second after both tables started: their first requests are under way by then.
      const { out, err, exitCode } = await runUntilInterrupted(slow, (progress) => /^groups: initial round/m.test(progress) && /^users: initial round/m.test(progress), { delayMs: 1_000 });
      expect(exitCode, err).toBe(130);
      expect(out).toMatch(/^users\s+STOPPED\s/m);
      expect(out).toMatch(/^groups\s+STOPPED\s/m);
      expect(await slow.query((t) => `SELECT count(*) AS n FROM ${t("users")}`)).toStrictEqual([{ n: 0 }]);
      expect(await slow.query((t) => `SELECT count(*) AS n FROM ${t("_kaivo_state")} WHERE table_name = '__lease__'`)).toStrictEqual([{ n: 0 }]);
    }, 60_000);

    test("a second SIGTERM ends the process at once, by the signal itself, never by an abort in DuckDB's teardown", async () => {
      const child = spawnKaivo(["run"], { cwd: slow.dir, env: slow.env });
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk.toString();
        if (!/^users: initial round/m.test(err) || child.killed) return;
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGTERM"), 5);
      });
      await new Promise((resolve) => child.once("exit", resolve));
      expect(child.signalCode, err).toBe("SIGTERM");
      expect(err).not.toMatch(/terminate called|Napi::Error/);
    }, 60_000);

    test("a closed terminal (SIGHUP) stops the run the same way, and exits 129", async () => {
      const { out, err, exitCode } = await runUntilInterrupted(slow, (progress) => /^users: initial round/m.test(progress), { delayMs: 500, signal: "SIGHUP" });
      expect(exitCode, err).toBe(129);
      expect(err).toContain("SIGHUP: stopping; each table commits the pages it has fetched. Send SIGHUP again to quit at once");
      expect(out).toMatch(/^users\s+STOPPED\s/m);
      expect(await slow.query((t) => `SELECT count(*) AS n FROM ${t("_kaivo_state")} WHERE table_name = '__lease__'`)).toStrictEqual([{ n: 0 }]);
    }, 60_000);
  });
});

describe("a checkpoint whose page link Graph no longer accepts", () => {
  let tenant: TestTenant;
  const auditsSince = new Date(Date.now() - 30 * 86_400_000);

  beforeAll(async () => {
    // Users arrive in list pages of 999 (initialRound "list"), each committed with a checkpoint.
    tenant = await startTenant({ users: 4500, seed: 35, latencyMs: 50 }, { tables: Object.fromEntries(LARGE_TENANT_TABLES.map((name) => [name, {}])), sync: { batchRows: 20 } });
  });
  afterAll(() => tenant.close());

  test.each([
    ["users", /\/v1\.0\/users\?/],
    ["directoryaudits", /\/v1\.0\/auditLogs\/directoryAudits\?/],
  ])("%s: the next run starts the round over and ends with exactly the tenant's data", async (table, link) => {
    const stopped = await runUntilInterrupted(tenant, (progress) => new RegExp(`^${table}: [\\d,]+ rows committed so far$`, "m").test(progress), { args: ["--tables", table] });
    expect(stopped.exitCode, stopped.err).toBe(130);
    const [state] = await tenant.query((t) => `SELECT state FROM ${t("_kaivo_state")} WHERE table_name = '${table}'`);
    expect((JSON.parse(String(state!.state)) as { checkpoint?: { nextLink: string } | null }).checkpoint?.nextLink).toMatch(link);

    // Graph forgets the page tokens it handed out (as a large tenant's do after a while).
    tenant.sim.control.expirePageTokens();
    const rerun = await kaivo(["run", "--tables", table], { cwd: tenant.dir, env: tenant.env });
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.err).toContain(`${table}: starting the round over: Graph no longer accepts the page link of ${table} (400 Directory_ExpiredPageToken); the round starts over.`);
    expect(await warehouseRows(tenant, table, auditsSince)).toStrictEqual(expectedRows(tenant.sim, table, auditsSince));
  }, 180_000);
});

describe("a table that fails partway through its first round", () => {
  test("keeps the pages it read, with a checkpoint, and the next run resumes there to exactly the tenant's data", async () => {
    // Users arrive in list pages of 999; at the default batch size nothing would commit before the last page.
    const tenant = await startTenant({ users: 3500, seed: 37, latencyMs: 50 }, { tables: { users: {} } });
    try {
      const child = spawnKaivo(["run", "--json"], { cwd: tenant.dir, env: tenant.env });
      let out = "";
      let denied = false;
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        // Graph stops answering the table after its second page of users (the first answers $deltatoken=latest), for good (until the faults are cleared).
        if (!denied && /"type":"page\.fetched","table":"users","pages":3,/.test(out)) {
          denied = true;
          tenant.sim.control.addFaults([{ kind: "403", endpoint: "users*" }]);
        }
      });
      const exitCode = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      expect(exitCode, out).toBe(1);
      expect(out).toContain('"code":"KAIVO_GRAPH_PERMISSION_MISSING"');
      const [{ n }] = (await tenant.query((t) => `SELECT count(*) AS n FROM ${t("users")}`)) as [{ n: number }];
      expect(n).toBeGreaterThanOrEqual(2 * 999);
      const [state] = await tenant.query((t) => `SELECT state FROM ${t("_kaivo_state")} WHERE table_name = 'users'`);
      expect((JSON.parse(String(state!.state)) as { checkpoint?: { nextLink: string } | null }).checkpoint?.nextLink).toMatch(/\/v1\.0\/users\?/);

      tenant.sim.control.clearFaults();
      const rerun = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
      expect(rerun.code, rerun.err).toBe(0);
      expect(rerun.err).toMatch(/^users: resuming the interrupted round from its checkpoint$/m);
      expect(await warehouseRows(tenant, "users")).toStrictEqual(expectedRows(tenant.sim, "users"));
    } finally {
      await tenant.close();
    }
  }, 120_000);
});

/** `kaivo run [args]` in a child process, sent `signal` `delayMs` after its progress on stderr satisfies `when`. */
async function runUntilInterrupted(
  tenant: TestTenant,
  when: (progress: string) => boolean,
  { delayMs = 0, args = [], signal = "SIGINT" }: { delayMs?: number; args?: string[]; signal?: NodeJS.Signals } = {},
): Promise<{ out: string; err: string; exitCode: number | null; interrupted: boolean }> {
  const child = spawnKaivo(["run", ...args], { cwd: tenant.dir, env: tenant.env });
  let out = "";
  let err = "";
  let seen = false;
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    if (seen || !when(err)) return;
    seen = true;
    setTimeout(() => child.kill(signal), delayMs);
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { out, err, exitCode, interrupted: child.killed };
}
