import { describe, expect, test } from "vitest";
import { ids, startClient } from "./helpers.js";

type Obj = Record<string, unknown>;
const NOW = Date.parse("2026-06-15T09:30:00Z");

describe("directoryAudits", () => {
  test("default order is newest first; $orderby asc reverses; pages are disjoint and complete", async () => {
    const c = await startClient({ users: 200, now: () => new Date(NOW) });
    const desc = await c.all("auditLogs/directoryAudits?$top=100");
    const asc = await c.all("auditLogs/directoryAudits?$top=100&$orderby=activityDateTime asc");
    const times = desc.values.map((v) => String(v["activityDateTime"]));
    expect(times).toEqual([...times].sort().reverse());
    expect(ids(asc.values)).toEqual(ids(desc.values).reverse());
    expect(new Set(ids(desc.values)).size).toBe(desc.values.length);
    expect(desc.values.length).toBe([...c.sim.control.objects("directoryAudits")].length);
    expect(times.every((t) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/.test(t))).toBe(true);
    // Retention: nothing older than 30 days.
    expect(Date.parse(times.at(-1)!)).toBeGreaterThanOrEqual(NOW - 30 * 86_400_000);
  });

  test("ge and le are inclusive at the exact boundaries; gt and lt are not", async () => {
    const c = await startClient({ users: 200, now: () => new Date(NOW) });
    const all = [...c.sim.control.objects("directoryAudits")];
    const lo = String(all[10]!["activityDateTime"]);
    const hi = String(all[20]!["activityDateTime"]);
    const inclusive = await c.all(`auditLogs/directoryAudits?$filter=activityDateTime ge ${lo} and activityDateTime le ${hi}&$orderby=activityDateTime asc&$top=4`);
    expect(ids(inclusive.values)).toEqual(ids(all.slice(10, 21)));
    const exclusive = await c.all(`auditLogs/directoryAudits?$filter=activityDateTime gt ${lo} and activityDateTime lt ${hi}&$orderby=activityDateTime asc`);
    expect(ids(exclusive.values)).toEqual(ids(all.slice(11, 20)));
    const exact = await c.all(`auditLogs/directoryAudits?$filter=activityDateTime eq ${lo}`);
    expect(ids(exact.values)).toEqual([String(all[10]!["id"])]);
  });

  test("the nextLink keeps the filter: URL-encoded literals and + for spaces work", async () => {
    const c = await startClient({ users: 200, now: () => new Date(NOW) });
    const since = new Date(NOW - 3 * 86_400_000).toISOString().replace(".000", "");
    const { values, pages } = await c.all(`auditLogs/directoryAudits?$filter=activityDateTime+ge+${encodeURIComponent(since)}&$top=5`);
    expect(pages).toBeGreaterThan(1);
    expect(values.every((v) => String(v["activityDateTime"]) >= since.replace("Z", ".0000000Z"))).toBe(true);
    const expected = [...c.sim.control.objects("directoryAudits")].filter((v) => Date.parse(String(v["activityDateTime"])) >= Date.parse(since));
    expect(ids(values).sort()).toEqual(ids(expected).sort());
  });

  test("late-arriving events dated in the past appear in their time slot", async () => {
    const c = await startClient({ users: 100, now: () => new Date(NOW) });
    const late = c.sim.control.appendAuditEvent({ activityDateTime: "2026-06-10T00:00:00.5000000Z", activityDisplayName: "Delete group", category: "GroupManagement" });
    const { values } = await c.all("auditLogs/directoryAudits?$filter=activityDateTime ge 2026-06-09T23:00:00Z and activityDateTime le 2026-06-10T01:00:00Z&$orderby=activityDateTime asc");
    expect(ids(values)).toContain(late["id"]);
    const times = values.map((v) => String(v["activityDateTime"]));
    expect(times).toEqual([...times].sort());
    const byName = await c.all("auditLogs/directoryAudits?$filter=activityDisplayName eq 'Delete group'");
    expect(ids(byName.values)).toEqual([String(late["id"])]);
  });

  test("other filters: category, startswith, initiatedBy, targetResources; unsupported ones 400", async () => {
    const c = await startClient({ users: 100, now: () => new Date(NOW) });
    const all = [...c.sim.control.objects("directoryAudits")] as Obj[];
    const cat = await c.all("auditLogs/directoryAudits?$filter=category eq 'GroupManagement'&$top=999");
    expect(ids(cat.values).sort()).toEqual(ids(all.filter((a) => a["category"] === "GroupManagement")).sort());
    const sw = await c.all("auditLogs/directoryAudits?$filter=startswith(activityDisplayName,'Add')&$top=999");
    expect(ids(sw.values).sort()).toEqual(ids(all.filter((a) => String(a["activityDisplayName"]).startsWith("Add"))).sort());
    const target = ((all[5]!["targetResources"] as Obj[])[0]!["id"]) as string;
    const t = await c.all(`auditLogs/directoryAudits?$filter=targetResources/any(t: t/id eq '${target}')&$top=999`);
    expect(ids(t.values)).toContain(String(all[5]!["id"]));
    expect((await c.get("auditLogs/directoryAudits?$filter=result ne 'success'")).status).toBe(400);
    expect((await c.get("auditLogs/directoryAudits?$orderby=category")).status).toBe(400);
    expect((await c.get("auditLogs/directoryAudits?$top=1000")).status).toBe(400);
  });

  test("needs AuditLog.Read.All and Directory.Read.All", async () => {
    const c = await startClient();
    c.sim.control.revokePermission("Directory.Read.All");
    const res = await c.get("auditLogs/directoryAudits");
    expect(res.status).toBe(403);
    expect(res.json()["error"]).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
  });
});
