import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { declarations } from "../support/expected.js";
import { kaivo } from "../support/kaivo.js";
import { startTenant, WAREHOUSES, type TestTenant } from "../support/tenant.js";

/**
 * The access-review and audit views against a synced simulated tenant, each compared with facts
 * computed here from the simulator's own objects (not from the views or the warehouse).
 */
type Obj = Record<string, unknown>;
const DAY = 86_400_000;
const GLOBAL_ADMIN_TEMPLATE = "62e90394-69f5-4237-9190-012177145e10";
const isGroup = (type: unknown) => String(type).toLowerCase().endsWith("group");
const never = (v: unknown) => v === null || v === undefined || v === "" || String(v).startsWith("0001-01-01");
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe.each(WAREHOUSES)("model views on a simulated tenant in %s", (warehouse) => {
  let tenant: TestTenant;
  let now: number;
  const view = (name: string, columns: string) => tenant.query((t) => `SELECT ${columns} FROM ${t(name)}`);
  /** 29 days before the query runs, clear of the audit log's 30-day retention edge. */
  const within29Days = () => (warehouse === "duckdb" ? "now() - INTERVAL 29 DAY" : "TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 29 DAY)");

  beforeAll(async () => {
    tenant = await startTenant({ users: 400, seed: 61 }, { tables: Object.fromEntries(declarations.map((d) => [d.name, {}])) }, warehouse);
    now = Date.now();
    expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
    const build = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
    expect(build.out, build.out).toMatch(/26 of 26 models built in .* all data tests passed/);
  }, 180_000);
  afterAll(() => tenant.close());

  /** group id -> member id -> shortest nesting depth, following member groups. */
  function closure(): Map<string, Map<string, number>> {
    const direct = new Map<string, Array<{ id: string; type: string }>>();
    for (const e of tenant.sim.control.groupMemberships()) {
      if (!direct.has(e.parentId)) direct.set(e.parentId, []);
      direct.get(e.parentId)!.push({ id: e.memberId, type: e.memberType });
    }
    const result = new Map<string, Map<string, number>>();
    for (const group of tenant.sim.control.objects("groups")) {
      const depths = new Map<string, number>();
      let frontier = [String(group.id)];
      for (let depth = 1; frontier.length > 0; depth++) {
        const next: string[] = [];
        for (const g of frontier) {
          for (const m of direct.get(g) ?? []) {
            if (depths.has(m.id) || m.id === String(group.id)) continue;
            depths.set(m.id, depth);
            if (isGroup(m.type)) next.push(m.id);
          }
        }
        frontier = next;
      }
      result.set(String(group.id), depths);
    }
    return result;
  }

  test("group_membership_effective: every nested member of every group, at its shortest depth", async () => {
    const expected = [...closure()].flatMap(([g, members]) => [...members].map(([m, depth]) => `${g}|${m}|${depth}`));
    const rows = await view("group_membership_effective", "group_id, member_id, depth");
    expect(expected.some((e) => !e.endsWith("|1"))).toBe(true); // the tenant really nests groups
    expect(sorted(rows.map((r) => `${r.group_id}|${r.member_id}|${r.depth}`))).toStrictEqual(sorted(expected));
  });

  test("privileged_access: role holders, directly and through role-assignable groups, and the owners of those groups", async () => {
    const nested = closure();
    const types = new Map<string, string>();
    for (const e of tenant.sim.control.groupMemberships()) types.set(e.memberId, e.memberType);
    const expected: string[] = [];
    for (const e of tenant.sim.control.directoryRoleMemberships()) {
      expected.push(`${e.parentId}|${e.memberId}|direct|`);
      if (isGroup(e.memberType)) {
        for (const [member] of nested.get(e.memberId) ?? []) if (!isGroup(types.get(member))) expected.push(`${e.parentId}|${member}|group|${e.memberId}`);
        // An owner can add itself to the group, and so take the role.
        for (const o of tenant.sim.control.groupOwnerships()) if (o.parentId === e.memberId) expected.push(`${e.parentId}|${o.memberId}|group_owner|${e.memberId}`);
      }
    }
    const rows = await view("privileged_access", "role_id, principal_id, assignment_type, via_group_id, is_global_administrator");
    expect(rows.some((r) => r.is_global_administrator && r.assignment_type === "group")).toBe(true);
    expect(rows.some((r) => r.is_global_administrator && r.assignment_type === "group_owner")).toBe(true);
    expect(sorted(rows.map((r) => `${r.role_id}|${r.principal_id}|${r.assignment_type}|${r.via_group_id ?? ""}`))).toStrictEqual(sorted(expected));
    // Such an owner is privileged in the summary, holding no role itself.
    const users = new Set([...tenant.sim.control.objects("users")].map((u) => String(u.id)));
    const roleGroupOwners = new Set(expected.filter((e) => e.includes("|group_owner|")).map((e) => e.split("|")[1]!).filter((id) => users.has(id)));
    const summary = await tenant.query((t) => `SELECT user_id FROM ${t("user_access_summary")} WHERE owns_role_group AND is_privileged`);
    expect(sorted(summary.map((r) => String(r.user_id)))).toStrictEqual(sorted([...roleGroupOwners]));
  });

  test("expiring_credentials: secrets and certificates that expire within 30 days or already did", async () => {
    const expected: string[] = [];
    for (const collection of ["applications", "servicePrincipals"] as const) {
      for (const o of tenant.sim.control.objects(collection)) {
        for (const [field, type] of [["passwordCredentials", "password"], ["keyCredentials", "certificate"]] as const) {
          for (const c of (o[field] as Obj[] | undefined) ?? []) {
            const end = Date.parse(String(c.endDateTime));
            if (end < now + 30 * DAY) expected.push(`${String(o.id)}|${type}|${String(c.keyId)}|${end < now ? "expired" : "expiring_soon"}`);
          }
        }
      }
    }
    const rows = await view("expiring_credentials", "owner_object_id, credential_type, key_id, status");
    expect(new Set(expected.map((e) => e.split("|")[3])).size).toBe(2); // both expired and expiring ones exist
    expect(sorted(rows.map((r) => `${r.owner_object_id}|${r.credential_type}|${r.key_id}|${r.status}`))).toStrictEqual(sorted(expected));
  });

  test("stale_accounts: no successful sign-in for 90 days, or never in an account older than that, still holding a group, a role or an ownership", async () => {
    const nested = closure();
    const inGroup = new Set([...nested.values()].flatMap((m) => [...m.keys()]));
    const roleHolders = new Set<string>();
    for (const e of tenant.sim.control.directoryRoleMemberships()) {
      roleHolders.add(e.memberId);
      for (const [member] of nested.get(e.memberId) ?? []) roleHolders.add(member);
    }
    const owners = new Set([...tenant.sim.control.groupOwnerships()].map((e) => e.memberId));
    const expected: string[] = [];
    for (const u of tenant.sim.control.objects("users")) {
      const s = (u.signInActivity ?? {}) as Obj;
      // Failed attempts count in Graph's last sign-in times; only a successful sign-in shows use.
      const success = never(s.lastSuccessfulSignInDateTime) ? undefined : Date.parse(String(s.lastSuccessfulSignInDateTime));
      const old = u.createdDateTime === undefined || u.createdDateTime === null || Date.parse(String(u.createdDateTime)) < now - 90 * DAY;
      const staleness = success === undefined ? (old ? "never_signed_in" : undefined) : success < now - 90 * DAY ? "inactive_90_days" : undefined;
      const id = String(u.id);
      if (staleness && (inGroup.has(id) || roleHolders.has(id) || owners.has(id))) expected.push(`${id}|${staleness}`);
    }
    const rows = await view("stale_accounts", "user_id, staleness");
    expect(new Set(expected.map((e) => e.split("|")[1])).size).toBe(2);
    expect(sorted(rows.map((r) => `${r.user_id}|${r.staleness}`))).toStrictEqual(sorted(expected));
  });

  test("privileged_changes: a member or owner added to or removed from a group that holds a role is a role assignment, with the group's roles", async () => {
    const gaRoles = new Set([...tenant.sim.control.objects("directoryRoles")].filter((r) => r.roleTemplateId === GLOBAL_ADMIN_TEMPLATE).map((r) => String(r.id)));
    const groupRoles = new Map<string, boolean>(); // group holding a role -> whether one is Global Administrator
    for (const e of tenant.sim.control.directoryRoleMemberships()) {
      if (isGroup(e.memberType)) groupRoles.set(e.memberId, (groupRoles.get(e.memberId) ?? false) || gaRoles.has(e.parentId));
    }
    const expected: string[] = [];
    for (const e of tenant.sim.control.objects("directoryAudits")) {
      if (!/^(Add|Remove) (member|owner) (to|from) group$/.test(String(e.activityDisplayName))) continue;
      if (Date.parse(String(e.activityDateTime)) < now - 29 * DAY) continue; // clear of the window's edge
      const props = ((e.targetResources as Obj[])[0]!.modifiedProperties as Obj[]).filter((p) => p.displayName === "Group.ObjectID");
      const group = JSON.parse(String(props[0]!.newValue ?? props[0]!.oldValue)) as string;
      if (groupRoles.has(group)) expected.push(`${String(e.id)}|${groupRoles.get(group)}`);
    }
    const rows = await tenant.query((t) => `SELECT event_id, activity_display_name, is_global_administrator FROM ${t("privileged_changes")} WHERE activity_display_name LIKE '% group' AND change_kind = 'role_assignment' AND activity_date_time >= ${within29Days()}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.some((r) => /owner/.test(String(r.activity_display_name)))).toBe(true);
    expect(sorted(rows.map((r) => `${r.event_id}|${r.is_global_administrator}`))).toStrictEqual(sorted(expected));
  });

  test("privileged_changes: a member added to a role names the role it was given", async () => {
    const expected: string[] = [];
    for (const e of tenant.sim.control.objects("directoryAudits")) {
      if (e.activityDisplayName !== "Add member to role" || Date.parse(String(e.activityDateTime)) < now - 29 * DAY) continue;
      const props = new Map(((e.targetResources as Obj[])[0]!.modifiedProperties as Obj[]).map((p) => [p.displayName, JSON.parse(String(p.newValue)) as string]));
      expected.push(`${String(e.id)}|${props.get("Role.DisplayName")}|${props.get("Role.TemplateId") === GLOBAL_ADMIN_TEMPLATE}`);
    }
    const rows = await tenant.query((t) => `SELECT event_id, role_name, is_global_administrator FROM ${t("privileged_changes")} WHERE activity_display_name = 'Add member to role' AND activity_date_time >= ${within29Days()}`);
    expect(expected.some((e) => e.endsWith("|true"))).toBe(true);
    expect(sorted(rows.map((r) => `${r.event_id}|${r.role_name}|${r.is_global_administrator}`))).toStrictEqual(sorted(expected));
  });

  test("directory_audit_trail: one row per event, target and modified property, with the actor", async () => {
    const expected: string[] = [];
    // The listing below keeps Graph's 30-day retention as of now, so it lacks the events that aged
    // past it since the run (minutes, on a loaded CI) and that the warehouse keeps: the comparison
    // starts two minutes inside the retention window.
    const compareFrom = Date.now() - 30 * DAY + 120_000;
    for (const e of tenant.sim.control.objects("directoryAudits")) {
      if (Date.parse(String(e.activityDateTime)) < compareFrom) continue;
      const by = (e.initiatedBy ?? {}) as { user?: Obj | null; app?: Obj | null };
      const actor = by.user && (by.user.id || by.user.userPrincipalName) ? "user" : by.app && (by.app.appId || by.app.servicePrincipalId || by.app.displayName) ? "app" : "unknown";
      const targets = (e.targetResources as Obj[] | undefined) ?? [];
      if (targets.length === 0) expected.push(`${String(e.id)}|${actor}|||`);
      for (const t of targets) {
        const props = (t.modifiedProperties as Obj[] | undefined) ?? [];
        if (props.length === 0) expected.push(`${String(e.id)}|${actor}|${String(t.id ?? "")}||`);
        for (const p of props) expected.push(`${String(e.id)}|${actor}|${String(t.id ?? "")}|${String(p.displayName ?? "")}|${String(p.newValue ?? "")}`);
      }
    }
    const rows = (await view("directory_audit_trail", "event_id, activity_date_time, actor_type, target_id, property_name, new_value")).filter((r) => new Date(r.activity_date_time as string | Date).getTime() >= compareFrom);
    expect(expected.length).toBeGreaterThan(100);
    expect(sorted(rows.map((r) => `${r.event_id}|${r.actor_type}|${r.target_id ?? ""}|${r.property_name ?? ""}|${r.new_value ?? ""}`))).toStrictEqual(sorted(expected));
  });
});
