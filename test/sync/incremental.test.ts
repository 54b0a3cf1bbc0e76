import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunSummary } from "@kaivo/engine";
import { declarations, expectedRows, tenantRecords, warehouseRows } from "../support/expected.js";
import { kaivo, runSummary } from "../support/kaivo.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

const allTables = { tables: Object.fromEntries(declarations.map((d) => [d.name, {}])) };

const runJson = (tenant: TestTenant, args: string[] = []) => runSummary(args, { cwd: tenant.dir, env: tenant.env });
const row = (summary: RunSummary, table: string) => summary.tables.find((t) => t.table === table)!;

describe.each(WAREHOUSES)("incremental syncs into %s", (warehouse) => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await startTenant({ users: 80, seed: 12 }, allTables, warehouse);
    expect((await runJson(tenant)).ok).toBe(true);
  });
  afterAll(() => tenant.close());

  test("a delta table with no changes costs one request and changes nothing", async () => {
    const summary = await runJson(tenant);
    for (const table of ["users", "groups", "applications", "serviceprincipals", "directoryroles"]) {
      expect(row(summary, table), table).toMatchObject({ status: "succeeded", requests: 1, inserted: 0, updated: 0, deleted: 0 });
    }
    // The audit log's look-back reads again the events it already has (the newest one at least); they stay as stored.
    expect(row(summary, "directoryaudits")).toMatchObject({ status: "succeeded", inserted: 0, updated: 0, deleted: 0 });
  });

  test("syncing one relation reads its parent's changes with every relation the config selects, and keeps the parent's delta link", async () => {
    for (const args of [["--tables", "group_owners"], ["--tables", "directoryrole_members"], []]) {
      const summary = await runJson(tenant, args);
      expect(row(summary, "groups") ?? row(summary, "directoryroles"), args.join(" ")).toMatchObject({ status: "succeeded", requests: 1, updated: 0 });
    }
    const summary = await runJson(tenant, ["--tables", "group_owners"]);
    expect(summary.tables.map((t) => t.table).sort()).toStrictEqual(["group_members", "group_owners", "groups"]);
  });

  test("a removed group's members and owners end with it, for Graph's reason (Graph sends the group's id alone)", async () => {
    const c = tenant.sim.control;
    const edgesOf = async (table: string, group: string) =>
      tenant.query((t) => `SELECT _kaivo_deleted_reason AS reason, count(*) AS n FROM ${t(table)} WHERE group_id = '${group}' GROUP BY 1`);
    // Only a Microsoft 365 group's delete is soft (restorable); deleting a security group is for good.
    const users = [...c.objects("users")].map((u) => String(u.id));
    const soft = String(c.createGroup({ displayName: "Project Nova", groupTypes: ["Unified"], mailEnabled: true, securityEnabled: false }).id);
    for (const member of users.slice(0, 3)) c.addGroupMember(soft, member);
    c.addGroupOwner(soft, users[0]!);
    expect((await runJson(tenant)).ok).toBe(true);
    const hard = String([...c.objects("groups")].find((g) => (g.groupTypes as string[]).length === 0 && c.groupMembers(String(g.id)).length > 0)!.id);
    const before = await edgesOf("group_members", soft);
    expect(before).toStrictEqual([{ reason: null, n: expect.any(Number) }]);
    c.deleteGroup(soft);
    c.deleteGroup(hard);
    const summary = await runJson(tenant);
    expect(row(summary, "groups")).toMatchObject({ status: "succeeded", deleted: 2 });
    expect(await edgesOf("group_members", soft)).toStrictEqual([{ reason: "changed", n: before[0]!.n }]);
    expect((await edgesOf("group_members", hard)).map((r) => r.reason)).toStrictEqual(["deleted"]);
    expect(row(summary, "group_members").deleted).toBeGreaterThanOrEqual(Number(before[0]!.n));
    for (const group of [soft, hard]) {
      expect((await edgesOf("group_owners", group)).filter((r) => r.reason === null), `live owners of ${group}`).toStrictEqual([]);
    }

    // Purged from deleted items, the group cannot come back, and neither can its edges.
    c.deleteGroup(soft, { hard: true });
    const purged = await runJson(tenant);
    expect(row(purged, "groups")).toMatchObject({ status: "succeeded", deleted: 0 });
    expect(row(purged, "group_members")).toMatchObject({ deleted: 0 });
    expect(await tenant.query((t) => `SELECT _kaivo_deleted_reason AS reason FROM ${t("groups")} WHERE id = '${soft}'`)).toStrictEqual([{ reason: "deleted" }]);
    expect(await edgesOf("group_members", soft)).toStrictEqual([{ reason: "deleted", n: before[0]!.n }]);
    expect(await edgesOf("group_owners", soft)).toStrictEqual([{ reason: "deleted", n: 1 }]);
  });

  test("the next sync applies exactly the tenant's changes: partial objects, removals, edges, late audits", async () => {
    const c = tenant.sim.control;
    const edges = () => new Set([...c.groupMemberships()].map((e) => `${e.parentId}/${e.memberId}`));
    const edgesBefore = edges();
    const users = tenantRecords(tenant.sim, "users");
    const [renamed, cleared, softDeleted, hardDeleted] = users.slice(5, 9).map((u) => String(u.id));
    const created = c.createUser({ displayName: "Zoë Nouvelle", accountEnabled: false });
    c.updateUser(renamed!, { displayName: "Renamed Person" });
    c.updateUser(cleared!, { jobTitle: null, department: "Audit" });
    c.deleteUser(softDeleted!);
    c.deleteUser(hardDeleted!, { hard: true });
    const group = tenantRecords(tenant.sim, "groups")[0]!;
    const [firstMember] = c.groupMembers(String(group.id));
    c.removeGroupMember(String(group.id), firstMember!.id);
    c.addGroupMember(String(group.id), String(created.id));
    c.addGroupOwner(String(group.id), String(created.id));
    const role = tenantRecords(tenant.sim, "directoryroles")[0]!;
    c.addDirectoryRoleMember(String(role.id), String(created.id));
    const cursor = (await tenant.query((t) => `SELECT max(activity_date_time) AS m FROM ${t("directoryaudits")}`))[0]!.m as string;
    const late = c.appendAuditEvent({ activityDateTime: new Date(new Date(cursor).getTime() - 20 * 60_000).toISOString(), activityDisplayName: "Late arrival" });
    const fresh = c.appendAuditEvent({ activityDisplayName: "Fresh event" });

    const edgesAfter = edges();
    const summary = await runJson(tenant);
    expect(summary.ok).toBe(true);
    expect(row(summary, "users")).toMatchObject({ inserted: 1, updated: 2, deleted: 2 });
    // Deleting a user also removes it from its groups, so edges go beyond the one removed by hand.
    expect(row(summary, "group_members")).toMatchObject({
      inserted: [...edgesAfter].filter((e) => !edgesBefore.has(e)).length,
      deleted: [...edgesBefore].filter((e) => !edgesAfter.has(e)).length,
    });
    expect(row(summary, "group_owners")).toMatchObject({ inserted: 1 });
    expect(row(summary, "directoryrole_members")).toMatchObject({ inserted: 1 });
    expect(row(summary, "directoryaudits")).toMatchObject({ inserted: 2, updated: 0 });

    const auditsSince = new Date(Date.now() - 30 * 86_400_000);
    for (const d of declarations) {
      expect(await warehouseRows(tenant, d.name, auditsSince), d.name).toStrictEqual(expectedRows(tenant.sim, d.name, auditsSince));
    }
    const removed = await tenant.query((t) => `SELECT id, _kaivo_deleted_reason AS reason FROM ${t("users")} WHERE _kaivo_deleted_at IS NOT NULL ORDER BY reason`);
    expect(removed).toStrictEqual([
      { id: softDeleted, reason: "changed" },
      { id: hardDeleted, reason: "deleted" },
    ]);
    const edge = await tenant.query((t) => `SELECT _kaivo_deleted_reason AS reason FROM ${t("group_members")} WHERE group_id = '${String(group.id)}' AND member_id = '${firstMember!.id}'`);
    expect(edge).toStrictEqual([{ reason: "deleted" }]);
    const audits = await tenant.query((t) => `SELECT id, count(*) AS n FROM ${t("directoryaudits")} WHERE id IN ('${String(late.id)}', '${String(fresh.id)}') GROUP BY id`);
    expect(audits).toHaveLength(2);
    expect(audits.every((a) => a.n === 1)).toBe(true);
  });

  test("a soft-deleted user restored within Graph's 30 days is live again, in the groups it was in", async () => {
    const c = tenant.sim.control;
    const edge = [...c.groupMemberships()].filter((e) => e.memberType === "#microsoft.graph.user").at(-1)!;
    const userRow = () => tenant.query((t) => `SELECT _kaivo_deleted_at AS deleted_at, _kaivo_deleted_reason AS reason FROM ${t("users")} WHERE id = '${edge.memberId}'`);
    const edges = () => tenant.query((t) => `SELECT _kaivo_deleted_reason AS reason, count(*) AS n FROM ${t("group_members")} WHERE member_id = '${edge.memberId}' GROUP BY 1`);
    const groupsIn = [...c.groupMemberships()].filter((e) => e.memberId === edge.memberId).length;
    c.deleteUser(edge.memberId);
    expect(row(await runJson(tenant), "users")).toMatchObject({ deleted: 1 });
    expect(await userRow()).toStrictEqual([{ deleted_at: expect.anything(), reason: "changed" }]);
    expect(await edges()).toStrictEqual([{ reason: "deleted", n: groupsIn }]);

    c.restoreUser(edge.memberId);
    const summary = await runJson(tenant);
    expect(row(summary, "users")).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect(row(summary, "group_members")).toMatchObject({ inserted: 0, updated: groupsIn, deleted: 0 });
    expect(await userRow()).toStrictEqual([{ deleted_at: null, reason: null }]);
    expect(await edges()).toStrictEqual([{ reason: null, n: groupsIn }]);
    for (const table of ["users", "group_members"]) expect(await warehouseRows(tenant, table), table).toStrictEqual(expectedRows(tenant.sim, table));
  });

  test("a Microsoft 365 group deleted and restored between two runs keeps the members and owners it has, not those it lost meanwhile", async () => {
    const c = tenant.sim.control;
    const users = tenantRecords(tenant.sim, "users").map((u) => String(u.id));
    const group = String(c.createGroup({ displayName: "Project Vega", groupTypes: ["Unified"], mailEnabled: true, securityEnabled: false }).id);
    const [stays, leaves, leavingOwner, deleted] = users.slice(20, 24) as [string, string, string, string];
    for (const u of [stays, leaves, deleted]) c.addGroupMember(group, u);
    c.addGroupOwner(group, stays);
    c.addGroupOwner(group, leavingOwner);
    expect((await runJson(tenant)).ok).toBe(true);

    // In one round: a member and an owner leave, the group is deleted and restored, and a member
    // is deleted while the group is in deleted items.
    c.removeGroupMember(group, leaves);
    c.removeGroupOwner(group, leavingOwner);
    c.deleteGroup(group);
    c.deleteUser(deleted, { hard: true });
    c.restore("groups", group);
    const summary = await runJson(tenant);
    expect(summary.ok).toBe(true);
    const live = (table: string, column: string) =>
      tenant.query((t) => `SELECT ${column} AS id FROM ${t(table)} WHERE group_id = '${group}' AND _kaivo_deleted_at IS NULL ORDER BY 1`);
    expect(await live("group_members", "member_id")).toStrictEqual([{ id: stays }]);
    expect(await live("group_owners", "owner_id")).toStrictEqual([{ id: stays }]);
    expect(row(summary, "group_members")).toMatchObject({ deleted: 2 });
    expect(row(summary, "group_owners")).toMatchObject({ deleted: 1 });
    for (const table of ["groups", "group_members", "group_owners"]) expect(await warehouseRows(tenant, table), table).toStrictEqual(expectedRows(tenant.sim, table));
  });

  test("an expired delta token resyncs the table, marking objects Graph no longer has", async () => {
    const c = tenant.sim.control;
    const victim = String(tenantRecords(tenant.sim, "users")[10]!.id);
    c.expireDeltaTokens();
    c.deleteUser(victim, { hard: true });
    const result = await kaivo(["run", "--tables", "users"], { cwd: tenant.dir, env: tenant.env });
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/users: full resync: Graph no longer accepts the stored delta token/);
    expect(await warehouseRows(tenant, "users")).toStrictEqual(expectedRows(tenant.sim, "users"));
    const gone = await tenant.query((t) => `SELECT _kaivo_deleted_reason AS reason FROM ${t("users")} WHERE id = '${victim}'`);
    expect(gone).toStrictEqual([{ reason: "vanished" }]);
    // Afterwards the table is incremental again.
    expect(row(await runJson(tenant, ["--tables", "users"]), "users")).toMatchObject({ requests: 1 });
  });
});
