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

describe("render cache (objects kept serialised between crawls)", () => {
  test("a warm crawl serves exactly what a cold one and an uncached simulator serve", async () => {
    const cached = await startClient({ users: 600, seed: 5, now: NOW });
    const uncached = await startClient({ users: 600, seed: 5, now: NOW, renderCacheMb: 0 });
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
    // Members are appended to the cached object per page, never cached with it.
    expect(membersBefore.length).toBeGreaterThan(0);
    expect(members(groupsAfter)).toEqual(membersBefore);
  });
});
