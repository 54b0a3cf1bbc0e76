/**
 * A small hand-made tenant, in warehouse column names, and the facts the access-review and audit
 * views must show about it, computed here from the rows (never from the views).
 */
export const DAY_MS = 86_400_000;
export const GLOBAL_ADMIN_TEMPLATE = "62e90394-69f5-4237-9190-012177145e10";
const USER_ADMIN_TEMPLATE = "fe930be7-5e62-47db-91af-98c3a49a38b1";

export type Row = Record<string, unknown>;
export type Tenant = Record<string, Row[]>;

/** `now` minus/plus whole days and an hour of margin away from it, so day counts are stable. */
function at(now: number, days: number): string {
  return new Date(now + days * DAY_MS + (days < 0 ? -3_600_000 : 3_600_000)).toISOString();
}

export function makeTenant(now: number): Tenant {
  const deleted = { _kaivo_deleted_at: at(now, -1), _kaivo_deleted_reason: "deleted" };
  const user = (id: string, displayName: string, extra: Row = {}): Row => ({
    id, display_name: displayName, user_principal_name: `${id}@contoso.test`, user_type: "Member", account_enabled: true,
    created_date_time: at(now, -400), ...extra,
  });
  const edge = (groupId: string, memberId: string, type: string, extra: Row = {}): Row => ({
    group_id: groupId, member_id: memberId, member_type: `#microsoft.graph.${type}`, ...extra,
  });
  return {
    users: [
      user("alice", "Alice Admin"),
      user("bob", "Bob Stale"),
      user("carol", "Carol Guest", { user_type: "Guest", user_principal_name: "carol_fabrikam.test#EXT#@contoso.test", external_user_state: "Accepted" }),
      user("dave", "Dave Disabled", { account_enabled: false }),
      user("erin", "Erin Never"),
      user("frank", "Frank Unknown"),
      // New this month, in a group, with a failed attempt yesterday: not dormant.
      user("nina", "Nina New", { created_date_time: at(now, -10) }),
      // B2B collaboration with member rights: userType Member, but from outside the tenant.
      user("xena", "Xena External", { user_principal_name: "xena_fabrikam.test#EXT#@contoso.test", external_user_state: "Accepted" }),
      user("gone", "Gone User", deleted),
    ],
    groups: [
      { id: "g-all", display_name: "All Staff", security_enabled: true, group_types: [] },
      // A second group of the same name (display names are not unique in Entra ID).
      { id: "g-all-eu", display_name: "All Staff", security_enabled: true, group_types: [] },
      { id: "g-eng", display_name: "Engineering", security_enabled: true, group_types: ["Unified"] },
      { id: "g-legacy", display_name: "Legacy Project", security_enabled: true, group_types: [] },
      { id: "g-tier0", display_name: "Tier0 Admins", security_enabled: true, is_assignable_to_role: true, group_types: [] },
      { id: "g-old", display_name: "Deleted Group", security_enabled: true, group_types: [], ...deleted },
      // Nested in each other: Entra refuses it, a partial sync may not.
      { id: "g-loop-a", display_name: "Loop A", security_enabled: true, group_types: [] },
      { id: "g-loop-b", display_name: "Loop B", security_enabled: true, group_types: [] },
    ],
    group_members: [
      edge("g-all", "g-eng", "group"),
      edge("g-all", "carol", "user"),
      edge("g-all", "frank", "user"),
      edge("g-all-eu", "frank", "user"),
      edge("g-all", "bob", "user", deleted),
      edge("g-eng", "alice", "user"),
      edge("g-eng", "gone", "user", deleted),
      edge("g-legacy", "bob", "user"),
      edge("g-tier0", "dave", "user"),
      edge("g-legacy", "nina", "user"),
      edge("g-loop-a", "g-loop-b", "group"),
      edge("g-loop-b", "g-loop-a", "group"),
    ],
    group_owners: [
      { group_id: "g-all", owner_id: "alice", owner_type: "#microsoft.graph.user" },
      { group_id: "g-all-eu", owner_id: "alice", owner_type: "#microsoft.graph.user" },
      { group_id: "g-eng", owner_id: "alice", owner_type: "#microsoft.graph.user" },
      { group_id: "g-tier0", owner_id: "alice", owner_type: "#microsoft.graph.user" },
      { group_id: "g-legacy", owner_id: "erin", owner_type: "#microsoft.graph.user", ...deleted },
      // Erin never signed in and is in no group, but still manages who is in these.
      { group_id: "g-loop-a", owner_id: "erin", owner_type: "#microsoft.graph.user" },
      { group_id: "g-loop-b", owner_id: "erin", owner_type: "#microsoft.graph.user" },
    ],
    directoryroles: [
      { id: "r-ga", display_name: "Global Administrator", role_template_id: GLOBAL_ADMIN_TEMPLATE },
      { id: "r-ua", display_name: "User Administrator", role_template_id: USER_ADMIN_TEMPLATE },
    ],
    directoryrole_members: [
      { role_id: "r-ga", member_id: "g-tier0", member_type: "#microsoft.graph.group" },
      { role_id: "r-ga", member_id: "alice", member_type: "#microsoft.graph.user" },
      { role_id: "r-ua", member_id: "bob", member_type: "#microsoft.graph.user" },
      { role_id: "r-ua", member_id: "sp-payroll", member_type: "#microsoft.graph.servicePrincipal" },
      { role_id: "r-ua", member_id: "frank", member_type: "#microsoft.graph.user", ...deleted },
    ],
    directoryroletemplates: [
      { id: GLOBAL_ADMIN_TEMPLATE, display_name: "Global Administrator" },
      { id: USER_ADMIN_TEMPLATE, display_name: "User Administrator" },
    ],
    applications: [
      {
        id: "app-payroll", app_id: "appid-payroll", display_name: "Payroll Sync",
        password_credentials: [
          { key_id: "k-soon", display_name: "ci secret", end_date_time: at(now, 10), start_date_time: at(now, -355) },
          { key_id: "k-expired", display_name: "old secret", end_date_time: at(now, -3), start_date_time: at(now, -368) },
          { key_id: "k-fine", display_name: "new secret", end_date_time: at(now, 365), start_date_time: at(now, -1) },
          { key_id: "k-just-expired", display_name: "expired this morning", end_date_time: new Date(now - DAY_MS / 2).toISOString(), start_date_time: at(now, -365) },
        ],
        key_credentials: [{ key_id: "c-fine", display_name: "CN=payroll", end_date_time: at(now, 400), usage: "Verify", type: "AsymmetricX509Cert" }],
      },
      {
        id: "app-old", app_id: "appid-old", display_name: "Old Portal",
        password_credentials: [{ key_id: "k-old", end_date_time: at(now, -100) }], ...deleted,
      },
    ],
    serviceprincipals: [
      {
        id: "sp-payroll", app_id: "appid-payroll", display_name: "Payroll Sync", account_enabled: true, service_principal_type: "Application",
        key_credentials: [{ key_id: "c-saml", display_name: "CN=saml", end_date_time: at(now, 20), usage: "Sign", type: "AsymmetricX509Cert" }],
        password_credentials: [],
      },
      { id: "sp-graph", app_id: "00000003-0000-0000-c000-000000000000", display_name: "Microsoft Graph", account_enabled: true },
    ],
    user_sign_in_activity: [
      { id: "alice", sign_in_activity: { last_sign_in_date_time: at(now, -5), last_non_interactive_sign_in_date_time: at(now, -2), last_successful_sign_in_date_time: at(now, -2) } },
      // Dormant, and attempts failing yesterday (password spraying): still inactive.
      { id: "bob", sign_in_activity: { last_sign_in_date_time: at(now, -1), last_successful_sign_in_date_time: at(now, -200) } },
      { id: "carol", sign_in_activity: null },
      { id: "dave", sign_in_activity: { last_sign_in_date_time: at(now, -10), last_successful_sign_in_date_time: at(now, -10) } },
      { id: "erin", sign_in_activity: { last_sign_in_date_time: null, last_non_interactive_sign_in_date_time: null } },
      { id: "nina", sign_in_activity: { last_sign_in_date_time: at(now, -1) } },
    ],
    directoryaudits: [
      {
        id: "ev-role", activity_date_time: at(now, -2), activity_display_name: "Add member to role", category: "RoleManagement",
        operation_type: "Assign", result: "success", logged_by_service: "Core Directory",
        initiated_by: { user: { id: "alice", user_principal_name: "alice@contoso.test", ip_address: "203.0.113.7" } },
        target_resources: [
          {
            id: "bob", type: "User", user_principal_name: "bob@contoso.test",
            modified_properties: [
              { display_name: "Role.DisplayName", old_value: null, new_value: '"User Administrator"' },
              { display_name: "Role.TemplateId", old_value: null, new_value: `"${USER_ADMIN_TEMPLATE}"` },
            ],
          },
          { id: "r-ua", type: "Role", display_name: "User Administrator", modified_properties: [] },
        ],
      },
      {
        id: "ev-cred", activity_date_time: at(now, -1), activity_display_name: "Add service principal credentials", category: "ApplicationManagement",
        operation_type: "Update", result: "success",
        initiated_by: { app: { app_id: "appid-deploy", display_name: "Deploy Bot", service_principal_id: "sp-deploy" } },
        target_resources: [
          {
            id: "sp-payroll", type: "ServicePrincipal", display_name: "Payroll Sync",
            modified_properties: [{ display_name: "KeyDescription", old_value: "[]", new_value: '["[KeyIdentifier=c-saml,KeyType=AsymmetricX509Cert]"]' }],
          },
        ],
      },
      {
        id: "ev-disable", activity_date_time: at(now, -1), activity_display_name: "Update user", category: "UserManagement",
        operation_type: "Update", result: "success",
        initiated_by: { user: { id: "alice", user_principal_name: "alice@contoso.test" } },
        target_resources: [
          { id: "dave", type: "User", user_principal_name: "dave@contoso.test", modified_properties: [{ display_name: "AccountEnabled", old_value: "[true]", new_value: "[false]" }] },
        ],
      },
      {
        id: "ev-consent", activity_date_time: at(now, -3), activity_display_name: "Consent to application", category: "ApplicationManagement",
        operation_type: "Assign", result: "success",
        initiated_by: { user: { id: "carol", user_principal_name: "carol_fabrikam.test#EXT#@contoso.test" } },
        target_resources: [{ id: "sp-payroll", type: "ServicePrincipal", display_name: "Payroll Sync", modified_properties: [] }],
      },
      {
        // Graph names the member as the first target and the group in Group.* properties and a second target.
        id: "ev-tier0", activity_date_time: at(now, -1), activity_display_name: "Add member to group", category: "GroupManagement",
        operation_type: "Assign", result: "success",
        initiated_by: { user: { id: "alice", user_principal_name: "alice@contoso.test" } },
        target_resources: [
          {
            id: "dave", type: "User", user_principal_name: "dave@contoso.test",
            modified_properties: [
              { display_name: "Group.ObjectID", old_value: null, new_value: '"g-tier0"' },
              { display_name: "Group.DisplayName", old_value: null, new_value: '"Tier0 Admins"' },
            ],
          },
          { id: "g-tier0", type: "Group", display_name: null, modified_properties: [] },
        ],
      },
      {
        // The role-holding group nested into an ordinary one: nobody gains a role.
        id: "ev-nest", activity_date_time: at(now, -1), activity_display_name: "Add member to group", category: "GroupManagement",
        operation_type: "Assign", result: "success",
        initiated_by: { user: { id: "alice", user_principal_name: "alice@contoso.test" } },
        target_resources: [
          { id: "g-tier0", type: "Group", display_name: "Tier0 Admins", modified_properties: [{ display_name: "Group.ObjectID", old_value: null, new_value: '"g-legacy"' }] },
          { id: "g-legacy", type: "Group", display_name: null, modified_properties: [] },
        ],
      },
      {
        id: "ev-fail", activity_date_time: at(now, -3), activity_display_name: "Add member to group", category: "GroupManagement",
        operation_type: "Add", result: "failure", result_reason: "Insufficient privileges", initiated_by: null, target_resources: [],
      },
    ],
  };
}

const live = (rows: Row[] | undefined): Row[] => (rows ?? []).filter((r) => r._kaivo_deleted_at === undefined);
const typeOf = (t: unknown) => String(t).replace("#microsoft.graph.", "");

export interface MembershipFact { group_id: string; member_id: string; depth: number; path: string; path_ids: string }

/** Transitive group membership by breadth-first search over the live edges, shortest path first. */
export function expectedMembership(tenant: Tenant): MembershipFact[] {
  const groups = new Map(live(tenant.groups).map((g) => [g.id as string, g.display_name as string]));
  const edges = live(tenant.group_members).filter((e) => groups.has(e.group_id as string));
  const facts: MembershipFact[] = [];
  for (const [top, topName] of groups) {
    // A group is never its own member, even nested in a loop.
    const seen = new Set<string>([top]);
    let frontier = [{ group: top, names: [topName], ids: [top] }];
    for (let depth = 1; frontier.length > 0; depth++) {
      const next: typeof frontier = [];
      for (const step of frontier) {
        for (const e of edges.filter((x) => x.group_id === step.group)) {
          const member = e.member_id as string;
          if (seen.has(member)) continue;
          seen.add(member);
          facts.push({ group_id: top, member_id: member, depth, path: step.names.join(" > "), path_ids: step.ids.join(" > ") });
          if (groups.has(member)) next.push({ group: member, names: [...step.names, groups.get(member) as string], ids: [...step.ids, member] });
        }
      }
      frontier = next;
    }
  }
  // As ORDER BY group_id, member_id sorts them (by code point, column by column).
  const byCodePoint = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return facts.sort((a, b) => byCodePoint(a.group_id, b.group_id) || byCodePoint(a.member_id, b.member_id));
}

export interface PrivilegeFact { role_display_name: string; principal_id: string; principal_type: string; assignment_type: string; via_group_id: string | null }

/** Direct role members, plus the (non-group) members of every group that holds a role; Global Administrator first. */
export function expectedPrivilegedAccess(tenant: Tenant): PrivilegeFact[] {
  const roles = new Map(live(tenant.directoryroles).map((r) => [r.id as string, r]));
  const membership = expectedMembership(tenant);
  const groups = new Set(live(tenant.groups).map((g) => g.id as string));
  const users = new Set(live(tenant.users).map((u) => u.id as string));
  const facts: PrivilegeFact[] = [];
  for (const rm of live(tenant.directoryrole_members)) {
    const role = roles.get(rm.role_id as string);
    if (role === undefined) continue;
    const roleName = role.display_name as string;
    facts.push({ role_display_name: roleName, principal_id: rm.member_id as string, principal_type: typeOf(rm.member_type), assignment_type: "direct", via_group_id: null });
    if (groups.has(rm.member_id as string)) {
      for (const m of membership.filter((x) => x.group_id === rm.member_id && !groups.has(x.member_id))) {
        facts.push({ role_display_name: roleName, principal_id: m.member_id, principal_type: users.has(m.member_id) ? "user" : "other", assignment_type: "group", via_group_id: rm.member_id as string });
      }
      // Its owners can add themselves to it.
      for (const o of live(tenant.group_owners).filter((x) => x.group_id === rm.member_id && users.has(x.owner_id as string))) {
        facts.push({ role_display_name: roleName, principal_id: o.owner_id as string, principal_type: "user", assignment_type: "group_owner", via_group_id: rm.member_id as string });
      }
    }
  }
  const rank = (f: PrivilegeFact) => (f.role_display_name === "Global Administrator" ? 0 : 1);
  return facts.sort((a, b) => rank(a) - rank(b) || a.role_display_name.localeCompare(b.role_display_name) || a.assignment_type.localeCompare(b.assignment_type) || a.principal_id.localeCompare(b.principal_id));
}

export interface CredentialFact { credential_owner: string; owner_object_id: string; credential_type: string; key_id: string; status: string; days_until_expiry: number }

/** Credentials of live apps and service principals ending before now + 30 days. */
export function expectedExpiringCredentials(tenant: Tenant, now: number): CredentialFact[] {
  const facts: CredentialFact[] = [];
  const collect = (owner: string, objects: Row[]) => {
    for (const o of objects) {
      for (const [field, type] of [["password_credentials", "password"], ["key_credentials", "certificate"]] as const) {
        for (const c of (o[field] as Row[] | undefined) ?? []) {
          const end = Date.parse(c.end_date_time as string);
          if (end >= now + 30 * DAY_MS) continue;
          facts.push({
            credential_owner: owner, owner_object_id: o.id as string, credential_type: type, key_id: c.key_id as string,
            status: end < now ? "expired" : "expiring_soon", days_until_expiry: Math.floor((end - now) / DAY_MS),
          });
        }
      }
    }
  };
  collect("application", live(tenant.applications));
  collect("service_principal", live(tenant.serviceprincipals));
  return facts.sort((a, b) => a.key_id.localeCompare(b.key_id));
}

export interface StaleFact { user_id: string; staleness: string; days_since_last_sign_in: number | null; group_count: number; role_count: number; owned_group_count: number }

/**
 * Users with a sign-in row whose latest successful sign-in is older than 90 days, or missing in an
 * account created over 90 days ago (failed attempts do not count), holding a group, a role or an ownership.
 */
export function expectedStaleAccounts(tenant: Tenant, now: number): StaleFact[] {
  const membership = expectedMembership(tenant);
  const privileges = expectedPrivilegedAccess(tenant);
  const users = live(tenant.users);
  const facts: StaleFact[] = [];
  for (const s of tenant.user_sign_in_activity ?? []) {
    if (!users.some((u) => u.id === s.id)) continue;
    const activity = (s.sign_in_activity ?? {}) as Row;
    const last = typeof activity.last_successful_sign_in_date_time === "string" ? Date.parse(activity.last_successful_sign_in_date_time) : undefined;
    if (last !== undefined && last >= now - 90 * DAY_MS) continue;
    const created = users.find((u) => u.id === s.id)!.created_date_time;
    if (last === undefined && typeof created === "string" && Date.parse(created) >= now - 90 * DAY_MS) continue;
    const groupCount = new Set(membership.filter((m) => m.member_id === s.id).map((m) => m.group_id)).size;
    const roleCount = new Set(privileges.filter((p) => p.principal_id === s.id).map((p) => p.role_display_name)).size;
    const liveGroups = new Set(live(tenant.groups).map((g) => g.id));
    const ownedCount = new Set(live(tenant.group_owners).filter((o) => o.owner_id === s.id && liveGroups.has(o.group_id)).map((o) => o.group_id)).size;
    if (groupCount + roleCount + ownedCount === 0) continue;
    facts.push({
      user_id: s.id as string, staleness: last === undefined ? "never_signed_in" : "inactive_90_days",
      days_since_last_sign_in: last === undefined ? null : Math.floor((now - last) / DAY_MS), group_count: groupCount, role_count: roleCount, owned_group_count: ownedCount,
    });
  }
  return facts.sort((a, b) => a.user_id.localeCompare(b.user_id));
}

export interface AuditFact {
  event_id: string; actor_type: string; actor_name: string | null; target_index: number | null; target_id: string | null;
  property_index: number | null; property_name: string | null; old_value: string | null; new_value: string | null;
  old_value_text: string | null; new_value_text: string | null;
}

/** Graph's JSON-encoded values decoded the way the trail documents: a string or one-element array unwrapped. */
function decode(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === "string" || typeof parsed === "boolean" || typeof parsed === "number") return String(parsed);
    if (Array.isArray(parsed) && parsed.length === 1 && ["string", "boolean", "number"].includes(typeof parsed[0])) return String(parsed[0]);
  } catch {
    // not JSON: shown as sent
  }
  return value;
}

/** One fact per (event, target, property), with a NULL target/property row where the lists are empty. */
export function expectedAuditTrail(tenant: Tenant): AuditFact[] {
  const facts: AuditFact[] = [];
  for (const e of live(tenant.directoryaudits)) {
    const by = (e.initiated_by ?? {}) as { user?: Row; app?: Row };
    const actorType = by.user ? "user" : by.app ? "app" : "unknown";
    const actorName = (by.user?.user_principal_name ?? by.app?.display_name ?? null) as string | null;
    const targets = (e.target_resources as Row[] | null) ?? [];
    const base = { event_id: e.id as string, actor_type: actorType, actor_name: actorName };
    const none = { property_index: null, property_name: null, old_value: null, new_value: null, old_value_text: null, new_value_text: null };
    if (targets.length === 0) facts.push({ ...base, target_index: null, target_id: null, ...none });
    targets.forEach((t, ti) => {
      const props = (t.modified_properties as Row[] | null) ?? [];
      if (props.length === 0) facts.push({ ...base, target_index: ti, target_id: t.id as string, ...none });
      props.forEach((p, pi) => {
        facts.push({
          ...base, target_index: ti, target_id: t.id as string, property_index: pi, property_name: p.display_name as string,
          old_value: (p.old_value ?? null) as string | null, new_value: (p.new_value ?? null) as string | null,
          old_value_text: decode(p.old_value), new_value_text: decode(p.new_value),
        });
      });
    });
  }
  const key = (f: AuditFact) => `${f.event_id}|${f.target_index ?? -1}|${f.property_index ?? -1}`;
  return facts.sort((a, b) => key(a).localeCompare(key(b)));
}
