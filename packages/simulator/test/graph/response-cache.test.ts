import { describe, expect, test } from "vitest";
import { startClient, type TestClient } from "./helpers.js";

const NOW = () => new Date("2026-05-01T08:00:00Z");
const CRAWLS = [
  "users?$top=999",
  "users?$select=displayName,accountEnabled,assignedLicenses,onPremisesExtensionAttributes&$top=50",
  "users?$select=id,signInActivity&$top=500",
  "groups/delta?$select=displayName,members,owners",
  "servicePrincipals/delta",
  "directoryRoles/delta",
  "directoryRoleTemplates",
  "auditLogs/directoryAudits?$top=200",
  "auditLogs/directoryAudits?$filter=activityDateTime ge 2026-04-20T00:00:00Z and activityDisplayName eq 'Add member to group'&$top=50",
];

/** Every crawl's objects, with links stripped (they carry the port and the token's issue time). */
async function crawlAll(c: TestClient): Promise<string> {
  const out: unknown[] = [];
  for (const first of CRAWLS) out.push((await c.pages(first)).map((p) => p["value"]));
  return JSON.stringify(out);
}

describe("response cache (rendered pages replayed while the tenant is unchanged)", () => {
  test("a warm crawl serves exactly what a cold one and an uncached simulator serve", async () => {
    const cached = await startClient({ users: 600, seed: 5, now: NOW });
    const uncached = await startClient({ users: 600, seed: 5, now: NOW, responseCacheMb: 0 });
    const cold = await crawlAll(cached);
    const warm = await crawlAll(cached);
    expect(cold.length).toBeGreaterThan(200_000);
    expect(warm).toBe(cold);
    expect(await crawlAll(uncached)).toBe(cold);
  });

  test("created, updated and deleted objects are served as they are now, not as they were cached", async () => {
    const c = await startClient({ users: 120, seed: 6, now: NOW });
    const list = async () => (await c.pages("users?$select=displayName,jobTitle&$top=999")).flatMap((p) => p["value"] as Record<string, unknown>[]);
    const groups = async () => (await c.pages("groups/delta?$select=displayName,members")).flatMap((p) => p["value"] as Record<string, unknown>[]);
    const [first, second] = await list();
    const group = (await groups())[0]!;
    const members = (items: Record<string, unknown>[]) => items.filter((g) => g["id"] === group["id"]).flatMap((g) => (g["members@delta"] as unknown[] | undefined) ?? []);
    const membersBefore = members(await groups());

    c.sim.control.updateUser(String(first!["id"]), { jobTitle: "Chief Cache Officer" });
    c.sim.control.deleteUser(String(second!["id"]));
    const created = c.sim.control.createUser({ displayName: "Brand New" });
    c.sim.control.updateGroup(String(group["id"]), { displayName: "Renamed group" });

    const after = await list();
    expect(after.find((u) => u["id"] === first!["id"])).toMatchObject({ jobTitle: "Chief Cache Officer", displayName: first!["displayName"] });
    expect(after.some((u) => u["id"] === second!["id"])).toBe(false);
    expect(after.find((u) => u["id"] === created["id"])).toMatchObject({ displayName: "Brand New" });
    const groupsAfter = await groups();
    expect(groupsAfter.find((g) => g["id"] === group["id"])).toMatchObject({ displayName: "Renamed group" });
    expect(membersBefore.length).toBeGreaterThan(0);
    expect(members(groupsAfter)).toEqual(membersBefore);
  });

  test("changes that bypass the change log (audit events, the policy, licensing) are served at once", async () => {
    const c = await startClient({ users: 50, seed: 7, now: NOW });
    const audits = async () => (await c.pages("auditLogs/directoryAudits?$top=999")).flatMap((p) => p["value"] as Record<string, unknown>[]);
    const before = await audits();
    expect((await audits()).length).toBe(before.length);
    const event = c.sim.control.appendAuditEvent({ activityDateTime: "2026-04-30T10:00:00Z", activityDisplayName: "Cache probe" });
    expect((await audits()).map((e) => e["id"])).toContain(event["id"]);

    const policy = async () => (await c.get("policies/adminConsentRequestPolicy")).json();
    await policy();
    c.sim.control.setAdminConsentRequestPolicy({ isEnabled: true, notifyReviewers: true });
    expect(await policy()).toMatchObject({ isEnabled: true, notifyReviewers: true });

    expect((await c.get("users?$select=id,signInActivity&$top=10")).status).toBe(200);
    c.sim.control.setSignInActivityLicensed(false);
    expect((await c.get("users?$select=id,signInActivity&$top=10")).status).toBe(403);
  });

  test("a page rendered longer ago than the cache's age limit is rendered again (delta links carry their issue time)", async () => {
    let now = Date.parse("2026-05-01T08:00:00Z");
    const c = await startClient({ users: 30, seed: 8, now: () => new Date(now) });
    const deltaLink = async () => (await c.all("users/delta?$select=displayName")).deltaLink;
    const first = await deltaLink();
    expect(await deltaLink()).toBe(first);
    now += 31 * 60_000;
    const later = await deltaLink();
    expect(later).toBeDefined();
    expect(later).not.toBe(first);
  });
});
