import { describe, expect, test } from "vitest";
import { ids, startClient, type TestClient } from "./helpers.js";

type Obj = Record<string, unknown>;

async function initialRound(c: TestClient, path: string): Promise<{ values: Obj[]; deltaLink: string }> {
  const { values, deltaLink } = await c.all(path);
  expect(deltaLink).toBeDefined();
  return { values, deltaLink: deltaLink! };
}

describe("users delta", () => {
  test("the initial round pages through every user and ends with a deltaLink, never both links", async () => {
    const c = await startClient({ users: 450, deltaPageSize: 100 });
    const pages = await c.pages("users/delta?$select=displayName,accountEnabled");
    expect(pages.length).toBe(5);
    for (const page of pages) expect(Boolean(page["@odata.nextLink"]) !== Boolean(page["@odata.deltaLink"])).toBe(true);
    const values = pages.flatMap((p) => p["value"] as Obj[]);
    expect(ids(values).sort()).toEqual([...c.sim.control.objects("users")].map((u) => String(u["id"])).sort());
    expect(Object.keys(values[0]!)).toEqual(["id", "displayName", "accountEnabled"]);
    expect(String(pages.at(-1)!["@odata.deltaLink"])).toMatch(new RegExp(`^${c.sim.graphBaseUrl}/users/delta\\?\\$deltatoken=`));
  });

  test("a later round returns exactly the changes: new objects in full, updates as id + changed properties, removals with reasons", async () => {
    const c = await startClient({ users: 50 });
    const { deltaLink } = await initialRound(c, "users/delta?$select=displayName,jobTitle,accountEnabled,department");
    const users = [...c.sim.control.objects("users")];
    const [a, b, d, e, f] = [users[1]!, users[2]!, users[3]!, users[4]!, users[5]!];
    const created = c.sim.control.createUser({ displayName: "Zoë Nouvelle", jobTitle: "Chef" });
    c.sim.control.updateUser(String(a["id"]), { jobTitle: "Principal Engineer" });
    c.sim.control.updateUser(String(b["id"]), { department: null, jobTitle: "Lead" });
    c.sim.control.updateUser(String(e["id"]), { mobilePhone: "+1 555 0100" }); // not selected: not tracked
    c.sim.control.deleteUser(String(d["id"]));
    c.sim.control.deleteUser(String(f["id"]), { hard: true });
    const round = await c.all(deltaLink);
    const byId = new Map(round.values.map((v) => [String(v["id"]), v]));
    expect(round.values.length).toBe(5);
    expect(byId.get(String(created["id"]))).toEqual({ id: created["id"], displayName: "Zoë Nouvelle", jobTitle: "Chef", accountEnabled: created["accountEnabled"], department: created["department"] ?? null });
    expect(byId.get(String(a["id"]))).toEqual({ id: a["id"], jobTitle: "Principal Engineer" });
    expect(byId.get(String(b["id"]))).toEqual({ id: b["id"], department: null, jobTitle: "Lead" });
    expect(byId.get(String(d["id"]))).toEqual({ id: d["id"], "@removed": { reason: "changed" } });
    expect(byId.get(String(f["id"]))).toEqual({ id: f["id"], "@removed": { reason: "deleted" } });
    expect(byId.has(String(e["id"]))).toBe(false);
    // A round with no changes: empty value and a fresh deltaLink.
    const quiet = await c.all(round.deltaLink!);
    expect(quiet.values).toEqual([]);
    expect(quiet.deltaLink).toBeDefined();
    expect(quiet.deltaLink).not.toBe(round.deltaLink);
  });

  test("changes made during an initial round replay in the next round", async () => {
    const c = await startClient({ users: 300, deltaPageSize: 100 });
    const first = (await c.get("users/delta?$select=displayName")).json();
    const early = [...c.sim.control.objects("users")][0]!;
    c.sim.control.updateUser(String(early["id"]), { displayName: "Renamed mid-round" });
    let next = first["@odata.nextLink"] as string | undefined;
    let deltaLink: string | undefined;
    while (next !== undefined) {
      const page = (await c.get(next)).json();
      next = page["@odata.nextLink"] as string | undefined;
      deltaLink = page["@odata.deltaLink"] as string | undefined;
    }
    const round = await c.all(deltaLink!);
    expect(round.values).toEqual([{ id: early["id"], displayName: "Renamed mid-round" }]);
  });

  test("$deltatoken=latest returns no objects, only a deltaLink that then reports later changes", async () => {
    const c = await startClient();
    const latest = (await c.get("users/delta?$select=displayName&$deltatoken=latest")).json();
    expect(latest["value"]).toEqual([]);
    expect(latest["@odata.nextLink"]).toBeUndefined();
    const created = c.sim.control.createUser({ displayName: "After latest" });
    const round = await c.all(String(latest["@odata.deltaLink"]));
    expect(round.values).toEqual([{ id: created["id"], displayName: "After latest" }]);
  });

  test("$filter=id eq … restricts the round; other filters and $expand are rejected; signInActivity is list-only", async () => {
    const c = await startClient();
    const [u1, u2] = [...c.sim.control.objects("users")];
    const { values } = await c.all(`users/delta?$select=displayName&$filter=id eq '${String(u1!["id"])}' or id eq '${String(u2!["id"])}'`);
    expect(ids(values).sort()).toEqual([String(u1!["id"]), String(u2!["id"])].sort());
    expect((await c.get("users/delta?$filter=displayName eq 'x'")).json()["error"]).toMatchObject({ code: "Request_UnsupportedQuery" });
    expect((await c.get("users/delta?$expand=manager")).status).toBe(400);
    expect((await c.get("users/delta?$select=id,signInActivity")).status).toBe(400);
  });
});

describe("groups delta and members@delta", () => {
  test("initial round lists current members only when members is selected; empty groups have no members@delta", async () => {
    const c = await startClient({ users: 200 });
    const plain = await initialRound(c, "groups/delta?$select=displayName");
    expect(plain.values.every((g) => !("members@delta" in g))).toBe(true);
    const { values } = await initialRound(c, "groups/delta?$select=displayName,members");
    const merged = new Map<string, Set<string>>();
    for (const g of values) {
      const set = merged.get(String(g["id"])) ?? new Set<string>();
      for (const m of (g["members@delta"] as Obj[] | undefined) ?? []) {
        expect(m["@odata.type"]).toMatch(/^#microsoft\.graph\.(user|group|servicePrincipal)$/);
        set.add(String(m["id"]));
      }
      merged.set(String(g["id"]), set);
    }
    for (const group of c.sim.control.objects("groups")) {
      const expected = c.sim.control.groupMembers(String(group["id"])).map((m) => m.id).sort();
      expect([...(merged.get(String(group["id"])) ?? [])].sort()).toEqual(expected);
      if (expected.length === 0) expect(values.find((v) => v["id"] === group["id"])).not.toHaveProperty("members@delta");
    }
  });

  test("a big group repeats across pages, each page carrying another slice of members@delta", async () => {
    const c = await startClient({ users: 100, deltaMembersPerPage: 10 });
    const group = c.sim.control.createGroup({ displayName: "Big" });
    const users = [...c.sim.control.objects("users")].slice(0, 35);
    for (const u of users) c.sim.control.addGroupMember(String(group["id"]), String(u["id"]));
    const { values } = await initialRound(c, `groups/delta?$select=displayName,members&$filter=id eq '${String(group["id"])}'`);
    expect(values.length).toBe(4);
    const members = values.flatMap((v) => (v["members@delta"] as Obj[]).map((m) => String(m["id"])));
    expect(members.sort()).toEqual(ids(users).sort());
  });

  test("a member deleted between two pages of a big group shifts nobody out of the round: every other member still comes", async () => {
    const c = await startClient({ users: 100, deltaMembersPerPage: 10 });
    const group = c.sim.control.createGroup({ displayName: "Big" });
    const users = [...c.sim.control.objects("users")].slice(0, 35);
    for (const u of users) c.sim.control.addGroupMember(String(group["id"]), String(u["id"]));
    const first = (await c.get(`groups/delta?$select=displayName,members&$filter=id eq '${String(group["id"])}'`)).json();
    const sent = (first["value"] as Obj[]).flatMap((v) => (v["members@delta"] as Obj[]).map((m) => String(m["id"])));
    expect(sent).toHaveLength(10);
    // One already sent leaves the tenant: the members not yet sent move up the list.
    c.sim.control.deleteUser(sent[0]!, { hard: true });
    const rest = await c.all(String(first["@odata.nextLink"]));
    const members = [...sent, ...rest.values.flatMap((v) => ((v["members@delta"] as Obj[] | undefined) ?? []).map((m) => String(m["id"])))];
    expect(new Set(members)).toEqual(new Set(ids(users)));
  });

  test("later rounds carry member additions and removals (@removed deleted), and owners@delta when owners is selected", async () => {
    const c = await startClient({ users: 80 });
    const { deltaLink } = await initialRound(c, "groups/delta?$select=displayName,members,owners");
    const group = [...c.sim.control.objects("groups")].find((g) => c.sim.control.groupMembers(String(g["id"])).length >= 2)!;
    const gid = String(group["id"]);
    const existing = c.sim.control.groupMembers(gid).find((m) => m.type === "#microsoft.graph.user")!;
    const newcomer = [...c.sim.control.objects("users")].find((u) => !c.sim.control.groupMembers(gid).some((m) => m.id === u["id"]))!;
    const nested = [...c.sim.control.objects("groups")].find((g) => g["id"] !== gid && !c.sim.control.groupMembers(gid).some((m) => m.id === g["id"]))!;
    c.sim.control.removeGroupMember(gid, existing.id);
    c.sim.control.addGroupMember(gid, String(newcomer["id"]));
    c.sim.control.addGroupMember(gid, String(nested["id"]));
    c.sim.control.addGroupOwner(gid, String(newcomer["id"]));
    const round = await c.all(deltaLink);
    expect(round.values.length).toBe(1);
    const item = round.values[0]!;
    expect(item["id"]).toBe(gid);
    expect(item["displayName"]).toBeUndefined();
    expect(item["members@delta"]).toEqual([
      { "@odata.type": "#microsoft.graph.user", id: existing.id, "@removed": { reason: "deleted" } },
      { "@odata.type": "#microsoft.graph.user", id: newcomer["id"] },
      { "@odata.type": "#microsoft.graph.group", id: nested["id"] },
    ]);
    expect(item["owners@delta"]).toEqual([{ "@odata.type": "#microsoft.graph.user", id: newcomer["id"] }]);
  });

  test("deleting a user removes it from its groups (members@delta removal) and reports the user @removed", async () => {
    const c = await startClient({ users: 80 });
    const groupsLink = (await initialRound(c, "groups/delta?$select=members")).deltaLink;
    const usersLink = (await initialRound(c, "users/delta?$select=displayName")).deltaLink;
    const edge = [...c.sim.control.groupMemberships()].find((e) => e.memberType === "#microsoft.graph.user")!;
    const groupsHolding = [...c.sim.control.groupMemberships()].filter((e) => e.memberId === edge.memberId).map((e) => e.parentId);
    c.sim.control.deleteUser(edge.memberId, { hard: true });
    const groups = await c.all(groupsLink);
    expect(ids(groups.values).sort()).toEqual([...new Set(groupsHolding)].sort());
    for (const g of groups.values) expect(g["members@delta"]).toEqual([{ "@odata.type": "#microsoft.graph.user", id: edge.memberId, "@removed": { reason: "deleted" } }]);
    expect((await c.all(usersLink)).values).toEqual([{ id: edge.memberId, "@removed": { reason: "deleted" } }]);
  });
});

describe("restoring a soft-deleted object", () => {
  test("delta sends the user whole again, and its groups get it back as a member; a purged or live object cannot be restored", async () => {
    const c = await startClient({ users: 80 });
    const edge = [...c.sim.control.groupMemberships()].find((e) => e.memberType === "#microsoft.graph.user")!;
    const groupsHolding = [...new Set([...c.sim.control.groupMemberships()].filter((e) => e.memberId === edge.memberId).map((e) => e.parentId))].sort();
    const before = c.sim.control.getObject("users", edge.memberId)!;
    c.sim.control.deleteUser(edge.memberId);
    const groupsLink = (await initialRound(c, "groups/delta?$select=members")).deltaLink;
    const usersLink = (await initialRound(c, "users/delta?$select=displayName,jobTitle")).deltaLink;

    expect(c.sim.control.restoreUser(edge.memberId)).toEqual(before);
    const users = await c.all(usersLink);
    expect(users.values).toEqual([{ id: edge.memberId, displayName: before["displayName"], jobTitle: before["jobTitle"] ?? null }]);
    const groups = await c.all(groupsLink);
    expect(ids(groups.values).sort()).toEqual(groupsHolding);
    for (const g of groups.values) expect(g["members@delta"]).toEqual([{ "@odata.type": "#microsoft.graph.user", id: edge.memberId }]);

    expect(() => c.sim.control.restoreUser(edge.memberId)).toThrow(/no soft-deleted object/);
    c.sim.control.deleteUser(edge.memberId);
    c.sim.control.deleteUser(edge.memberId, { hard: true });
    expect(() => c.sim.control.restoreUser(edge.memberId)).toThrow(/no soft-deleted object/);
    expect((await c.all(users.deltaLink!)).values).toEqual([{ id: edge.memberId, "@removed": { reason: "deleted" } }]);
  });
});

describe("restoring a soft-deleted group", () => {
  test("in the round a member left it, delta lists that member as removed; a member deleted while it was in deleted items stays out", async () => {
    const c = await startClient({ users: 40 });
    const users = [...c.sim.control.objects("users")].map((u) => String(u.id));
    const group = String(c.sim.control.createGroup({ displayName: "Restored", groupTypes: ["Unified"], mailEnabled: true, securityEnabled: false }).id);
    const [stays, leaves, deleted] = users.slice(0, 3) as [string, string, string];
    for (const u of [stays, leaves, deleted]) c.sim.control.addGroupMember(group, u);
    const groupsLink = (await initialRound(c, "groups/delta?$select=members")).deltaLink;

    c.sim.control.removeGroupMember(group, leaves);
    c.sim.control.deleteGroup(group);
    c.sim.control.deleteUser(deleted, { hard: true });
    c.sim.control.restore("groups", group);
    expect(c.sim.control.groupMembers(group).map((m) => m.id)).toEqual([stays]);
    const round = (await c.all(groupsLink)).values.find((g) => g["id"] === group)!;
    const user = "#microsoft.graph.user";
    expect(round["members@delta"]).toEqual([
      { "@odata.type": user, id: stays },
      { "@odata.type": user, id: leaves, "@removed": { reason: "deleted" } },
      { "@odata.type": user, id: deleted, "@removed": { reason: "deleted" } },
    ]);
    expect(() => c.sim.control.addGroupMember(group, group)).toThrow(/a group cannot be a member of itself/);
  });
});

describe("directoryRoles, applications and servicePrincipals delta", () => {
  test("directoryRoles carry members@delta without $select, and later rounds report member changes", async () => {
    const c = await startClient();
    const { values, deltaLink } = await initialRound(c, "directoryRoles/delta");
    const ga = values.find((r) => r["roleTemplateId"] === "62e90394-69f5-4237-9190-012177145e10")!;
    expect((ga["members@delta"] as Obj[]).map((m) => m["id"])).toContain(c.sim.userId);
    const user = [...c.sim.control.objects("users")].find((u) => !c.sim.control.directoryRoleMembers("62e90394-69f5-4237-9190-012177145e10").some((m) => m.id === u["id"]))!;
    c.sim.control.addDirectoryRoleMember("62e90394-69f5-4237-9190-012177145e10", String(user["id"]));
    c.sim.control.removeDirectoryRoleMember(String(ga["id"]), c.sim.userId);
    const round = await c.all(deltaLink);
    expect(round.values).toEqual([
      {
        id: ga["id"],
        "members@delta": [
          { "@odata.type": "#microsoft.graph.user", id: user["id"] },
          { "@odata.type": "#microsoft.graph.user", id: c.sim.userId, "@removed": { reason: "deleted" } },
        ],
      },
    ]);
  });

  test("a $select reports only the relations it names: directoryRoles without members, groups without $select their members but not owners", async () => {
    const c = await startClient();
    const roles = await initialRound(c, "directoryRoles/delta?$select=displayName");
    expect(roles.values.length).toBeGreaterThan(0);
    expect(roles.values.filter((r) => "members@delta" in r)).toEqual([]);
    const selected = await initialRound(c, "directoryRoles/delta?$select=displayName,members");
    expect(selected.values.some((r) => "members@delta" in r)).toBe(true);
    const groups = await initialRound(c, "groups/delta");
    expect(groups.values.some((g) => "members@delta" in g)).toBe(true);
    expect(groups.values.filter((g) => "owners@delta" in g)).toEqual([]);
  });

  test("applications: created, updated (partial) and deleted", async () => {
    const c = await startClient();
    const { deltaLink } = await initialRound(c, "applications/delta?$select=displayName,passwordCredentials");
    const [a, b] = [...c.sim.control.objects("applications")];
    const created = c.sim.control.createApplication({ displayName: "Nouvelle app" });
    c.sim.control.updateApplication(String(a!["id"]), { passwordCredentials: [] });
    c.sim.control.deleteApplication(String(b!["id"]));
    const round = await c.all(deltaLink);
    expect(round.values).toEqual([
      { id: created["id"], displayName: "Nouvelle app", passwordCredentials: created["passwordCredentials"] },
      { id: a!["id"], passwordCredentials: [] },
      { id: b!["id"], "@removed": { reason: "changed" } },
    ]);
  });

  test("servicePrincipals delta pages through every principal", async () => {
    const c = await startClient({ users: 900 });
    const { values } = await initialRound(c, "servicePrincipals/delta?$select=appId,servicePrincipalType");
    expect(ids(values).sort()).toEqual([...c.sim.control.objects("servicePrincipals")].map((s) => String(s["id"])).sort());
    expect(new Set(values.map((v) => v["servicePrincipalType"]))).toEqual(new Set(["Application", "ManagedIdentity"]));
  });
});

describe("expired and invalid delta tokens", () => {
  test("expireDeltaTokens makes old links answer 400 syncStateNotFound", async () => {
    const c = await startClient();
    const { deltaLink } = await initialRound(c, "users/delta?$select=displayName");
    c.sim.control.expireDeltaTokens();
    const res = await c.get(deltaLink);
    expect(res.status).toBe(400);
    expect(res.json()["error"]).toMatchObject({
      code: "syncStateNotFound",
      message: "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
    });
    // A fresh initial round works again.
    expect((await initialRound(c, "users/delta?$select=displayName")).values.length).toBe(40);
  });

  test("tokens older than seven days expire on the simulator clock", async () => {
    let now = Date.parse("2026-03-01T12:00:00Z");
    const c = await startClient({ now: () => new Date(now), tokenLifetimeSeconds: 30 * 86_400 });
    const { deltaLink } = await initialRound(c, "groups/delta");
    now += 6 * 86_400_000;
    expect((await c.get(deltaLink)).status).toBe(200);
    now += 2 * 86_400_000;
    expect((await c.get(deltaLink)).json()["error"]).toMatchObject({ code: "syncStateNotFound" });
  });

  test("optionally 410 Gone with a Location holding a fresh initial URL", async () => {
    const c = await startClient({ expiredDeltaTokenStatus: 410 });
    const { deltaLink } = await initialRound(c, "users/delta?$select=displayName");
    c.sim.control.expireDeltaTokens();
    const res = await c.get(deltaLink);
    expect(res.status).toBe(410);
    expect(res.headers["location"]).toBe(`${c.sim.graphBaseUrl}/users/delta?$select=id,displayName&$deltatoken=`);
    const restart = await c.all(res.headers["location"]!);
    expect(restart.values.length).toBe(40);
  });

  test("a tampered or foreign delta token answers syncStateNotFound", async () => {
    const c = await startClient();
    const { deltaLink } = await initialRound(c, "users/delta");
    expect((await c.get(`${deltaLink}x`)).status).toBe(400);
    expect((await c.get(`${c.sim.graphBaseUrl}/groups/delta?$deltatoken=${deltaLink.split("$deltatoken=")[1]!}`)).json()["error"]).toMatchObject({ code: "syncStateNotFound" });
  });
});
