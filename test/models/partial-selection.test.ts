import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kaivo } from "../support/kaivo.js";
import { startTenant, type TestTenant } from "../support/tenant.js";

/** A config that syncs only some tables: the models over them build, the others say what they wait for. */
describe("kaivo build after syncing a selection of tables", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await startTenant({ users: 30, seed: 62 }, { tables: { users: {}, groups: {} } });
    const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
    expect(run.code, run.err).toBe(0);
  });
  afterAll(() => tenant.close());

  test("builds the models over the synced tables and skips the rest, naming the table each one waits for; exit 0", async () => {
    const build = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
    expect(build.code, build.out).toBe(0);
    expect(build.out).toMatch(/^built {3}view stg_users \(/m);
    expect(build.out).toMatch(/^built {3}view stg_groups \(/m);
    expect(build.out).toContain("skipped view stg_applications (0.00 s)\n  reads applications, not synced: select it in the config's tables, then run a sync\n");
    expect(build.out).toMatch(/^skipped view expiring_credentials \(0\.00 s\)\n {2}upstream model stg_\w+ skipped$/m);
    expect(build.out).toMatch(/^\d+ of 25 models built in [\d.]+ s; \d+ skipped; all data tests passed\.$/m);
    expect(await tenant.query((t) => `SELECT count(*) AS n FROM ${t("stg_users")}`)).toStrictEqual([{ n: 30 }]);
  });
});
