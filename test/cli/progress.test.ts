import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { declarations } from "../support/expected.js";
import { kaivo } from "../support/kaivo.js";
import { startTenant, type TestTenant } from "../support/tenant.js";

/** What `kaivo run` tells a pipe or a log file (no TTY, no --json) while it works: milestones on stderr. */
describe("progress on a pipe", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    // Three pages of users (999 a page) and small batches: the users round checkpoints between its pages.
    tenant = await startTenant({ users: 2100, seed: 23 }, { tables: Object.fromEntries(declarations.map((d) => [d.name, {}])), sync: { batchRows: 1 } });
  });
  afterAll(() => tenant.close());

  test("a first run names each table's round, its committed rows during a long round, Graph's throttling, and each table's end", async () => {
    tenant.sim.control.addFaults([{ kind: "429", count: 1, retryAfterSeconds: 0.2 }]);
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    tenant.sim.control.clearFaults();
    expect(run.code, run.err).toBe(0);
    const lines = run.err.split("\n");
    expect(lines).toContain("users: initial round: reading every object");
    expect(lines).toContain("directoryaudits: initial round: reading as far back as the table keeps");
    expect(lines).toContain("identityproviders: full refresh");
    expect(lines).toContain("users: 999 rows committed so far");
    expect(run.err).toMatch(/^\w+: Graph throttled the request \(429\); \w+ requests of every table wait 0\.2 s$/m);
    for (const d of declarations) expect(run.err).toMatch(new RegExp(`^${d.name}: done in \\d+\\.\\d s$`, "m"));
  });

  test("a later run says it reads changes, or events since the cursor", async () => {
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
    const lines = run.err.split("\n");
    expect(lines).toContain("users: reading changes since the last run");
    expect(lines).toContain("directoryaudits: reading events since the stored cursor");
    expect(lines).toContain("adminconsentrequestpolicy: full refresh");
    expect(lines).toContain("group_members: edges arrive with groups");
  });

  test("--json: relations start and commit like their parents, so committed counts add up to the summary's", async () => {
    const run = await kaivo(["run", "--json", "--full-refresh"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
    const events = run.out.trim().split("\n").map((l) => JSON.parse(l));
    const started = events.filter((e) => e.type === "table.started" && e.table === "group_members");
    expect(started).toStrictEqual([{ type: "table.started", table: "group_members", mode: "delta", round: "initial", parent: "groups" }]);
    expect(events).toContainEqual({ type: "table.resync", table: "groups", reason: "--full-refresh asks Graph to send every object again" });
    const summary = events.find((e) => e.type === "run.finished").summary;
    for (const table of ["group_members", "group_owners", "directoryrole_members"]) {
      const lastCommitted = events.filter((e) => e.type === "table.committed" && e.table === table).at(-1);
      const row = summary.tables.find((t: { table: string }) => t.table === table);
      expect(lastCommitted?.counts, table).toStrictEqual({ inserted: row.inserted, updated: row.updated, deleted: row.deleted, rejected: row.rejected });
    }
  });
});
