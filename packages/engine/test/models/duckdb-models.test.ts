import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildModels, loadModelProject, type BuildResult } from "../../src/models/index.js";
import { insertRows, MODELS_DIR, openWarehouse, syncedTableNames } from "./duckdb-warehouse.js";
import {
  expectedAuditTrail, expectedExpiringCredentials, expectedMembership, expectedPrivilegedAccess, expectedStaleAccounts,
  makeTenant, type Tenant,
} from "./tenant-fixture.js";

describe("every model builds in DuckDB against a hand-made tenant", () => {
  const now = Date.now();
  const tenant: Tenant = makeTenant(now);
  let warehouse: Awaited<ReturnType<typeof openWarehouse>>;
  let result: BuildResult;

  beforeAll(async () => {
    warehouse = await openWarehouse();
    for (const [table, tableRows] of Object.entries(tenant)) await insertRows(warehouse.handle, table, tableRows, new Date(now).toISOString());
    const project = loadModelProject(MODELS_DIR, { sources: syncedTableNames() });
    const { executor, target } = await warehouse.modelExecutor("analytics");
    result = await buildModels(project, executor, { target });
  });
  afterAll(() => warehouse.close());

  test("all models are built and all their data tests pass", () => {
    const problems = result.models.flatMap((m) => [
      ...(m.status === "built" ? [] : [`${m.name}: ${m.status} ${m.error ?? m.reason ?? ""}`]),
      ...m.tests.filter((t) => t.status !== "passed").map((t) => `${m.name} ${t.name}: ${t.status} ${t.error ?? JSON.stringify(t.sample)}`),
    ]);
    expect(problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.models.length).toBeGreaterThanOrEqual(25);
  });

  test("group_membership_effective: nested groups with the shortest path", async () => {
    const actual = await warehouse.handle.query(
      "SELECT group_id, member_id, depth, path, path_ids FROM analytics.group_membership_effective ORDER BY group_id, member_id");
    expect(actual).toEqual(expectedMembership(tenant));
    // The facts include the nested case the issue names: All Staff > Engineering > alice.
    expect(actual).toContainEqual({ group_id: "g-all", member_id: "alice", depth: 2, path: "All Staff > Engineering", path_ids: "g-all > g-eng" });
  });

  test("privileged_access: direct holders and members of a role-assignable group, Global Administrator first", async () => {
    const actual = await warehouse.handle.query(
      "SELECT role_display_name, principal_id, principal_type, assignment_type, via_group_id FROM analytics.privileged_access");
    expect(actual).toEqual(expectedPrivilegedAccess(tenant));
    expect(actual[0]?.role_display_name).toBe("Global Administrator");
    expect(actual).toContainEqual({ role_display_name: "Global Administrator", principal_id: "dave", principal_type: "user", assignment_type: "group", via_group_id: "g-tier0" });
  });

  test("expiring_credentials: expiring within 30 days or expired, on apps and their service principals", async () => {
    const actual = await warehouse.handle.query(
      "SELECT credential_owner, owner_object_id, credential_type, key_id, status, CAST(days_until_expiry AS INTEGER) AS days_until_expiry FROM analytics.expiring_credentials ORDER BY key_id");
    expect(actual).toEqual(expectedExpiringCredentials(tenant, now));
    // Rounded down: expired three days and an hour ago is -4, twelve hours ago -1 (never 0, which reads as not yet expired).
    expect(actual.map((r) => [r.key_id, r.status, r.days_until_expiry])).toEqual([["c-saml", "expiring_soon", 20], ["k-expired", "expired", -4], ["k-just-expired", "expired", -1], ["k-soon", "expiring_soon", 10]]);
    const joined = await warehouse.handle.query("SELECT DISTINCT application_id, service_principal_id FROM analytics.expiring_credentials");
    expect(joined).toEqual([{ application_id: "app-payroll", service_principal_id: "sp-payroll" }]);
  });

  test("stale_accounts: no sign-in for 90 days or never, still holding groups, roles or group ownerships", async () => {
    const actual = await warehouse.handle.query(
      "SELECT user_id, staleness, CAST(days_since_last_sign_in AS INTEGER) AS days_since_last_sign_in, CAST(group_count AS INTEGER) AS group_count, CAST(role_count AS INTEGER) AS role_count, CAST(owned_group_count AS INTEGER) AS owned_group_count FROM analytics.stale_accounts ORDER BY user_id");
    expect(actual).toEqual(expectedStaleAccounts(tenant, now));
    expect(actual.map((r) => r.user_id)).toEqual(["bob", "carol", "erin"]);
  });

  test("directory_audit_trail: one row per event, target and modified property, actor as user or app", async () => {
    const actual = await warehouse.handle.query(`
      SELECT event_id, actor_type, actor_name, CAST(target_index AS INTEGER) AS target_index, target_id,
        CAST(property_index AS INTEGER) AS property_index, property_name, old_value, new_value, old_value_text, new_value_text
      FROM analytics.directory_audit_trail
      ORDER BY event_id || '|' || COALESCE(CAST(target_index AS VARCHAR), '-1') || '|' || COALESCE(CAST(property_index AS VARCHAR), '-1')`);
    expect(actual).toEqual(expectedAuditTrail(tenant));
  });

  test("privileged_changes: role assignments, credential additions and consent grants with who did them", async () => {
    const actual = await warehouse.handle.query(
      "SELECT event_id, change_kind, actor_type, actor_name, target_id, role_name, is_global_administrator FROM analytics.privileged_changes ORDER BY event_id");
    expect(actual).toEqual([
      { event_id: "ev-consent", change_kind: "consent_grant", actor_type: "user", actor_name: "carol_fabrikam.test#EXT#@contoso.test", target_id: "sp-payroll", role_name: null, is_global_administrator: false },
      { event_id: "ev-cred", change_kind: "credential_change", actor_type: "app", actor_name: "Deploy Bot", target_id: "sp-payroll", role_name: null, is_global_administrator: false },
      { event_id: "ev-role", change_kind: "role_assignment", actor_type: "user", actor_name: "alice@contoso.test", target_id: "bob", role_name: "User Administrator", is_global_administrator: false },
      // Added to a group that holds Global Administrator: the role comes with the membership.
      { event_id: "ev-tier0", change_kind: "role_assignment", actor_type: "user", actor_name: "alice@contoso.test", target_id: "dave", role_name: "Global Administrator", is_global_administrator: true },
    ]);
  });

  test("user_access_summary and its slices leave deleted objects out", async () => {
    const summary = await warehouse.handle.query("SELECT user_id, sign_in_status, is_guest, account_enabled FROM analytics.user_access_summary ORDER BY user_id");
    expect(summary).toEqual([
      { user_id: "alice", sign_in_status: "active", is_guest: false, account_enabled: true },
      { user_id: "bob", sign_in_status: "inactive_90_days", is_guest: false, account_enabled: true },
      { user_id: "carol", sign_in_status: "never_signed_in", is_guest: true, account_enabled: true },
      { user_id: "dave", sign_in_status: "active", is_guest: false, account_enabled: false },
      { user_id: "erin", sign_in_status: "never_signed_in", is_guest: false, account_enabled: true },
      { user_id: "frank", sign_in_status: "unknown", is_guest: false, account_enabled: true },
      { user_id: "nina", sign_in_status: "never_signed_in", is_guest: false, account_enabled: true },
      { user_id: "xena", sign_in_status: "unknown", is_guest: false, account_enabled: true },
    ]);
    expect(await warehouse.handle.query("SELECT user_id, user_type FROM analytics.guest_access ORDER BY user_id")).toEqual([{ user_id: "carol", user_type: "Guest" }, { user_id: "xena", user_type: "Member" }]);
    expect(await warehouse.handle.query("SELECT user_id, holds_access FROM analytics.disabled_accounts")).toEqual([{ user_id: "dave", holds_access: true }]);
    expect(await warehouse.handle.query("SELECT group_id FROM analytics.groups_without_owners")).toEqual([{ group_id: "g-legacy" }]);
  });

  test("user_access_summary: groups sharing a display name each count and each keep their name; nested paths count a group once", async () => {
    const actual = await warehouse.handle.query(
      "SELECT user_id, CAST(direct_group_count AS INTEGER) AS direct, CAST(group_count AS INTEGER) AS groups, group_names FROM analytics.user_access_summary WHERE user_id IN ('alice', 'frank') ORDER BY user_id");
    expect(actual).toEqual([
      { user_id: "alice", direct: 1, groups: 2, group_names: "All Staff,Engineering" },
      { user_id: "frank", direct: 2, groups: 2, group_names: "All Staff,All Staff" },
    ]);
  });
});

describe("user_sign_in_activity is optional", () => {
  test.each([
    ["not synced at all", true],
    ["synced but empty", false],
  ])("when it is %s, every model still builds and sign-in status is unknown", async (_label, absent) => {
    const now = Date.now();
    const tenant = makeTenant(now);
    const warehouse = await openWarehouse(absent ? ["user_sign_in_activity"] : []);
    try {
      for (const [table, tableRows] of Object.entries(tenant)) {
        if (table !== "user_sign_in_activity") await insertRows(warehouse.handle, table, tableRows, new Date(now).toISOString());
      }
      const sources = syncedTableNames().filter((t) => !absent || t !== "user_sign_in_activity");
      const project = loadModelProject(MODELS_DIR, { sources });
      const { executor, target } = await warehouse.modelExecutor("main");
      const result = await buildModels(project, executor, { target });
      expect(result.models.filter((m) => m.status !== "built" || m.tests.some((t) => t.status !== "passed")).map((m) => m.name)).toEqual([]);
      expect(await warehouse.handle.query("SELECT DISTINCT sign_in_status FROM user_access_summary")).toEqual([{ sign_in_status: "unknown" }]);
      expect(await warehouse.handle.query("SELECT COUNT(*)::INTEGER AS n FROM stale_accounts")).toEqual([{ n: 0 }]);
    } finally {
      await warehouse.close();
    }
  });
});

/**
 * Nesting deeper and more tangled than the hand-made tenant's: a 70-group chain, and a ladder of 12
 * levels of two groups each containing both groups of the next, 40 users at the bottom (2,048 paths
 * from the top to each of them), whose paths the view counts without listing them per member.
 */
describe("group_membership_effective over deep and diamond nesting", () => {
  const now = Date.now();
  const tenant: Tenant = makeTenant(now);
  const group = (id: string) => ({ id, display_name: id, security_enabled: true, group_types: [] });
  const edge = (groupId: string, memberId: string, type: string) => ({ group_id: groupId, member_id: memberId, member_type: `#microsoft.graph.${type}` });
  const chain = Array.from({ length: 70 }, (_, i) => `chain-${i}`);
  const ladder = Array.from({ length: 12 }, (_, level) => [`rung-${level}-a`, `rung-${level}-b`]);
  const users = Array.from({ length: 40 }, (_, i) => `climber-${i}`);
  tenant.groups!.push(...chain.map(group), ...ladder.flat().map(group));
  tenant.users!.push(...users.map((id) => ({ ...tenant.users![0]!, id, display_name: id, user_principal_name: `${id}@contoso.test` })));
  tenant.group_members!.push(
    ...chain.slice(1).map((g, i) => edge(chain[i]!, g, "group")),
    edge(chain[69]!, "bob", "user"),
    ...ladder.slice(1).flatMap((rung, i) => ladder[i]!.flatMap((parent) => rung.map((child) => edge(parent, child, "group")))),
    ...ladder[11]!.flatMap((g) => users.map((u) => edge(g, u, "user"))),
  );
  let warehouse: Awaited<ReturnType<typeof openWarehouse>>;

  beforeAll(async () => {
    warehouse = await openWarehouse();
    for (const [table, tableRows] of Object.entries(tenant)) await insertRows(warehouse.handle, table, tableRows, new Date(now).toISOString());
    const { executor, target } = await warehouse.modelExecutor("analytics");
    const result = await buildModels(loadModelProject(MODELS_DIR, { sources: syncedTableNames() }), executor, { target, select: "+group_membership_effective" });
    expect(result.models.filter((m) => m.status !== "built")).toEqual([]);
  });
  afterAll(() => warehouse.close());

  test("a member 70 groups down is in the top group, at depth 70, and in every group between", async () => {
    const rows = await warehouse.handle.query(`SELECT group_id, CAST(depth AS INTEGER) AS depth FROM analytics.group_membership_effective WHERE member_id = 'bob' AND group_id LIKE 'chain-%' ORDER BY depth DESC`);
    expect(rows).toHaveLength(70);
    expect(rows[0]).toEqual({ group_id: "chain-0", depth: 70 });
  });

  test("every path down the ladder is counted, and the shortest named, for each user at the bottom", async () => {
    const rows = await warehouse.handle.query(`
      SELECT member_id, CAST(depth AS INTEGER) AS depth, CAST(path_count AS INTEGER) AS path_count, path_ids
      FROM analytics.group_membership_effective WHERE group_id = 'rung-0-a' AND member_id LIKE 'climber-%' ORDER BY member_id`);
    const firstPath = ["rung-0-a", ...ladder.slice(1).map((rung) => rung[0]!)].join(" > ");
    expect(rows).toEqual([...users].sort().map((member_id) => ({ member_id, depth: 12, path_count: 2048, path_ids: firstPath })));
    const all = await warehouse.handle.query("SELECT count(*) AS n FROM analytics.group_membership_effective WHERE group_id LIKE 'rung-%'");
    // Each group of level k holds both groups of every lower level and the 40 users.
    expect(Number(all[0]!.n)).toBe(ladder.reduce((sum, _, k) => sum + 2 * (2 * (11 - k) + 40), 0));
  });
});
