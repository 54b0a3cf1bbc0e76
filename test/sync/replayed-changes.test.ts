import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectedRows, warehouseRows } from "../support/expected.js";
import { runSummary } from "../support/kaivo.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

/**
 * Graph may send an object more than once in a round (graph-api.md section 5.2). With one change a
 * page and a commit after every page, the second item lands in another commit than the first: the
 * run's counts say what changed in the warehouse over the run, not how many items Graph sent.
 */
describe.each(WAREHOUSES)("objects Graph sends twice in a round, into %s", (warehouse) => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await startTenant(
      { users: 40, seed: 74, latencyMs: 0, deltaReplays: true, deltaPageSize: 1 },
      { tables: { users: {}, groups: {}, group_members: {} }, sync: { batchRows: 1 } },
      warehouse,
    );
    expect((await runSummary([], { cwd: tenant.dir, env: tenant.env })).ok).toBe(true);
  });
  afterAll(() => tenant.close());

  const sync = async () => {
    const summary = await runSummary([], { cwd: tenant.dir, env: tenant.env });
    const counts = (table: string) => {
      const { inserted, updated, deleted, rejected } = summary.tables.find((t) => t.table === table)!;
      return { inserted, updated, deleted, rejected };
    };
    return { users: counts("users"), groups: counts("groups"), group_members: counts("group_members") };
  };
  const none = { inserted: 0, updated: 0, deleted: 0, rejected: 0 };

  test("a user changed twice is one row updated; a user created, then changed, one row inserted", async () => {
    const c = tenant.sim.control;
    const id = String([...c.objects("users")][3]!.id);
    c.updateUser(id, { jobTitle: "First" });
    c.updateUser(id, { department: "Second" });
    const created = c.createUser({ displayName: "New Hire", jobTitle: "Analyst", accountEnabled: true });
    c.updateUser(String(created.id), { jobTitle: "Lead Analyst" });
    expect(await sync()).toMatchObject({ users: { ...none, inserted: 1, updated: 1 } });
    expect(await warehouseRows(tenant, "users")).toStrictEqual(expectedRows(tenant.sim, "users"));
  });

  test("a member removed and added back is no change at all; one removed and not added back, one row deleted", async () => {
    const c = tenant.sim.control;
    const [kept, removed] = [...c.groupMemberships()];
    c.removeGroupMember(kept!.parentId, kept!.memberId);
    c.addGroupMember(kept!.parentId, kept!.memberId);
    c.removeGroupMember(removed!.parentId, removed!.memberId);
    expect(await sync()).toMatchObject({ group_members: { ...none, deleted: 1 } });
    for (const table of ["groups", "group_members"]) expect(await warehouseRows(tenant, table), table).toStrictEqual(expectedRows(tenant.sim, table));
  });
});

