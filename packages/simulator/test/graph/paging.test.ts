import { describe, expect, test } from "vitest";
import { ids, startClient } from "./helpers.js";

describe("paging through every source", () => {
  test.each([
    ["users?$top=7", "users", 5],
    ["groups?$top=2", "groups", 2],
    ["applications?$top=2", "applications", 1],
    ["servicePrincipals?$top=3", "servicePrincipals", 2],
    ["directoryRoles", "directoryRoles", 1],
    ["directoryRoleTemplates", "directoryRoleTemplates", 1],
    ["auditLogs/directoryAudits?$top=50", "directoryAudits", 3],
    ["identity/identityProviders", "identityProviders", 1],
  ] as const)("GET /%s returns each object exactly once, matching the control iterator", async (path, collection, minPages) => {
    const c = await startClient({ users: 120 });
    const { values, pages } = await c.all(path);
    const expected = [...c.sim.control.objects(collection)].map((o) => String(o["id"]));
    expect(new Set(ids(values)).size).toBe(values.length);
    expect(ids(values).sort()).toEqual([...expected].sort());
    expect(pages).toBeGreaterThanOrEqual(minPages);
  });

  test("full objects from the iterator equal $select-everything pages (users)", async () => {
    const c = await startClient({ users: 30 });
    const first = [...c.sim.control.objects("users")][3];
    expect(first).toBeDefined();
    const props = Object.keys(first!).filter((k) => k !== "id" && !k.startsWith("extension_"));
    const { values } = await c.all(`users?$select=${props.join(",")}&$top=500`);
    const served = values.find((v) => v["id"] === first!["id"]);
    const expected = Object.fromEntries(["id", ...props].map((k) => [k, first![k]]));
    expect(served).toEqual(expected);
  });

  test("nextLinks are absolute, under graphBaseUrl, and carry an opaque token", async () => {
    const c = await startClient({ users: 30 });
    const page = (await c.get("users?$top=5")).json();
    const next = String(page["@odata.nextLink"]);
    expect(next.startsWith(`${c.sim.graphBaseUrl}/users?`)).toBe(true);
    expect(next).toMatch(/\$skiptoken=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(page["@odata.context"]).toBe(`${c.sim.graphBaseUrl}/$metadata#users`);
  });

  test("a tampered skiptoken answers a Graph-shaped 400", async () => {
    const c = await startClient({ users: 30 });
    const next = String((await c.get("users?$top=5")).json()["@odata.nextLink"]);
    const token = next.split("$skiptoken=")[1]!;
    const [body, sig] = token.split(".");
    const forged = Buffer.from(Buffer.from(body!, "base64url").toString("utf8").replace('"pos":5', '"pos":0')).toString("base64url");
    const res = await c.get(next.replace(token, `${forged}.${sig}`));
    expect(res.status).toBe(400);
    const error = res.json()["error"] as Record<string, unknown>;
    expect(error["code"]).toBe("Directory_ExpiredPageToken");
    expect((error["innerError"] as Record<string, unknown>)["request-id"]).toBe(res.headers["request-id"]);
  });
});

describe("$top", () => {
  test("defaults to 100 and allows up to 999", async () => {
    const c = await startClient({ users: 1200 });
    const page = (await c.get("users")).json();
    expect((page["value"] as unknown[]).length).toBe(100);
    const big = (await c.get("users?$top=999")).json();
    expect((big["value"] as unknown[]).length).toBe(999);
    expect(big["@odata.nextLink"]).toBeDefined();
  });

  test.each(["users", "groups", "applications", "servicePrincipals"])("over the maximum on /%s answers 400 Request_UnsupportedQuery", async (path) => {
    const c = await startClient();
    const res = await c.get(`${path}?$top=1000`);
    expect(res.status).toBe(400);
    expect(res.json()["error"]).toMatchObject({
      code: "Request_UnsupportedQuery",
      message: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
    });
    expect((await c.get(`${path}?$top=0`)).status).toBe(400);
  });

  test("signInActivity caps pages at 500", async () => {
    const c = await startClient({ users: 700 });
    expect((await c.get("users?$select=id,signInActivity&$top=500")).status).toBe(200);
    const res = await c.get("users?$select=id,signInActivity&$top=501");
    expect(res.status).toBe(400);
    expect((res.json()["error"] as Record<string, unknown>)["message"]).toBe("Invalid page size specified: '501'. Must be between 1 and 500 inclusive.");
  });
});

describe("$select", () => {
  test("users without $select return Graph's 11 default properties", async () => {
    const c = await startClient();
    const user = ((await c.get("users?$top=1")).json()["value"] as Record<string, unknown>[])[0]!;
    expect(Object.keys(user).sort()).toEqual(
      ["businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"].sort(),
    );
  });

  test("returns only the selected properties plus id", async () => {
    const c = await startClient();
    const page = (await c.get("users?$select=displayName,accountEnabled,createdDateTime&$top=3")).json();
    for (const user of page["value"] as Record<string, unknown>[]) expect(Object.keys(user)).toEqual(["id", "displayName", "accountEnabled", "createdDateTime"]);
    expect(page["@odata.context"]).toBe(`${c.sim.graphBaseUrl}/$metadata#users(id,displayName,accountEnabled,createdDateTime)`);
    const apps = (await c.get("applications?$select=appId,passwordCredentials")).json()["value"] as Record<string, unknown>[];
    for (const app of apps) expect(Object.keys(app)).toEqual(["id", "appId", "passwordCredentials"]);
  });

  test("unknown and annotation names answer 400; single-object-only properties 501", async () => {
    const c = await startClient();
    expect((await c.get("users?$select=id,nope")).json()["error"]).toMatchObject({
      code: "Request_BadRequest",
      message: "Could not find a property named 'nope' on type 'microsoft.graph.user'.",
    });
    expect((await c.get("users?$select=@odata.type")).status).toBe(400);
    expect((await c.get("users?$select=skills")).status).toBe(501);
  });

  test("extension properties are selectable and open types carry them without $select", async () => {
    const c = await startClient({ users: 60 });
    const groups = (await c.get("groups?$top=999")).json()["value"] as Record<string, unknown>[];
    expect(groups.some((g) => Object.keys(g).some((k) => /^extension_[0-9a-f]{32}_projectCode$/.test(k)))).toBe(true);
    const withExt = [...c.sim.control.objects("users")].find((u) => Object.keys(u).some((k) => k.endsWith("_costCenter")))!;
    const ext = Object.keys(withExt).find((k) => k.endsWith("_costCenter"))!;
    const users = (await c.get(`users?$select=${ext}&$top=999`)).json()["value"] as Record<string, unknown>[];
    expect(users.find((u) => u["id"] === withExt["id"])![ext]).toBe(withExt[ext]);
  });
});

describe("awkward data", () => {
  test("guests, disabled accounts, never-signed-in quirks, unicode and expiring secrets are present", async () => {
    const c = await startClient({ users: 400 });
    const users = [...c.sim.control.objects("users")];
    expect(users.some((u) => String(u["userPrincipalName"]).includes("#EXT#"))).toBe(true);
    expect(users.some((u) => u["accountEnabled"] === false)).toBe(true);
    expect(users.some((u) => /[^\x00-\x7f]/.test(String(u["displayName"])))).toBe(true);
    const signIns = users.map((u) => u["signInActivity"] as Record<string, unknown> | null);
    expect(signIns.some((s) => s?.["lastSignInDateTime"] === "0001-01-01T00:00:00Z")).toBe(true);
    expect(signIns.some((s) => s?.["lastSignInDateTime"] === "")).toBe(true);
    expect(signIns.some((s) => s === null)).toBe(true);
    const now = Date.now();
    const secrets = [...c.sim.control.objects("applications")].flatMap((a) => a["passwordCredentials"] as { endDateTime: string }[]);
    expect(secrets.some((s) => Date.parse(s.endDateTime) < now)).toBe(true);
    expect(secrets.some((s) => Date.parse(s.endDateTime) > now && Date.parse(s.endDateTime) < now + 15 * 86_400_000)).toBe(true);
  });

  test("Global Administrator is activated, with members including a role-assignable group", async () => {
    const c = await startClient();
    const roles = (await c.get("directoryRoles")).json()["value"] as Record<string, unknown>[];
    const ga = roles.find((r) => r["roleTemplateId"] === "62e90394-69f5-4237-9190-012177145e10")!;
    expect(ga["displayName"]).toBe("Global Administrator");
    const members = c.sim.control.directoryRoleMembers(String(ga["id"]));
    expect(members.some((m) => m.type === "#microsoft.graph.group")).toBe(true);
    expect(members.some((m) => m.id === c.sim.userId)).toBe(true);
    const group = [...c.sim.control.objects("groups")].find((g) => g["id"] === members.find((m) => m.type === "#microsoft.graph.group")!.id)!;
    expect(group["isAssignableToRole"]).toBe(true);
  });
});

describe("the singleton policy and getUserOwnedObjects", () => {
  test("adminConsentRequestPolicy is one object, no value array; $select narrows it", async () => {
    const c = await startClient();
    const body = (await c.get("policies/adminConsentRequestPolicy")).json();
    expect(body["value"]).toBeUndefined();
    expect(body).toMatchObject({ isEnabled: true, requestDurationInDays: 30 });
    const narrow = (await c.get("policies/adminConsentRequestPolicy?$select=isEnabled")).json();
    expect(Object.keys(narrow)).toEqual(["@odata.context", "isEnabled"]);
  });

  test("returns the configured user's deleted groups and applications, sorted by id, typed", async () => {
    const c = await startClient();
    for (const type of ["Group", "Application"] as const) {
      const res = await c.post("directory/deletedItems/getUserOwnedObjects", JSON.stringify({ userId: c.sim.userId, type }));
      expect(res.status).toBe(200);
      const values = res.json()["value"] as Record<string, unknown>[];
      expect(values.length).toBeGreaterThan(0);
      expect(values.map((v) => v["@odata.type"])).toEqual(values.map(() => `#microsoft.graph.${type.toLowerCase()}`));
      expect(ids(values)).toEqual([...ids(values)].sort());
      expect(values.every((v) => typeof v["deletedDateTime"] === "string")).toBe(true);
      expect(ids(values)).toEqual(ids(c.sim.control.deletedItems(c.sim.userId, type)));
      expect(res.json()["@odata.nextLink"]).toBeUndefined();
    }
  });

  test("validates the body", async () => {
    const c = await startClient();
    const path = "directory/deletedItems/getUserOwnedObjects";
    for (const body of ["not json", "{}", JSON.stringify({ userId: c.sim.userId }), JSON.stringify({ userId: c.sim.userId, type: "User" }), JSON.stringify({ userId: c.sim.userId, type: "Group", extra: 1 })]) {
      const res = await c.post(path, body);
      expect(res.status, body).toBe(400);
      expect((res.json()["error"] as Record<string, unknown>)["code"]).toBe("Request_BadRequest");
    }
    expect((await c.get(path)).status).toBe(405);
  });

  test("soft-deleting an owned Microsoft 365 group moves it to deleted items; a security group's delete is for good", async () => {
    const c = await startClient();
    const isUnified = (g: Record<string, unknown>) => (g["groupTypes"] as string[]).includes("Unified");
    const ownership = [...c.sim.control.groupOwnerships()].find((e) => e.memberType === "#microsoft.graph.user" && isUnified(c.sim.control.getObject("groups", e.parentId)!))!;
    const [owner, unified] = [ownership.memberId, c.sim.control.getObject("groups", ownership.parentId)!];
    const security = [...c.sim.control.objects("groups")].find((g) => !isUnified(g))!;
    const before = c.sim.control.deletedItems(owner, "Group").length;
    c.sim.control.deleteGroup(String(unified["id"]));
    c.sim.control.deleteGroup(String(security["id"]));
    const res = await c.post("directory/deletedItems/getUserOwnedObjects", JSON.stringify({ userId: owner, type: "Group" }));
    const values = res.json()["value"] as Record<string, unknown>[];
    expect(values.length).toBe(before + 1);
    expect(ids(values)).toContain(unified["id"]);
    expect(() => c.sim.control.restore("groups", String(security["id"]))).toThrow(/no soft-deleted object/);
  });
});
