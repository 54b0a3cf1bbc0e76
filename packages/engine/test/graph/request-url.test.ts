import { describe, expect, test } from "vitest";
import { KaivoError } from "@kaivo/codegen";
import { encodeQuery, resolveRequestTarget } from "../../src/graph/request-url.js";
import { graphScope } from "../../src/graph/cloud.js";

const base = "https://graph.microsoft.com/v1.0";

describe("resolveRequestTarget", () => {
  test("appends a path and query to the base URL, keeping $ and , readable", () => {
    expect(resolveRequestTarget(base, "/groups", {
      $select: "id,displayName,members",
      $filter: "groupTypes/any(c:c eq 'Unified')",
      $top: "999",
    })).toEqual({
      origin: "https://graph.microsoft.com",
      path: "/v1.0/groups?$select=id,displayName,members&$filter=groupTypes/any(c:c%20eq%20'Unified')&$top=999",
      displayPath: "/groups",
    });
    expect(resolveRequestTarget(`${base}/`, "auditLogs/directoryAudits", {
      $filter: "activityDateTime ge 2025-03-01T00:00:00Z",
    }).path).toBe("/v1.0/auditLogs/directoryAudits?$filter=activityDateTime%20ge%202025-03-01T00:00:00Z");
  });

  test("uses an absolute link byte for byte (no URLSearchParams round trip)", () => {
    const link = "https://graph.microsoft.com/v1.0/users?$select=id%2cdisplayName&$skiptoken=X%2744537074%27&x=%3d";
    const target = resolveRequestTarget(base, link, undefined);
    expect(target.path).toBe("/v1.0/users?$select=id%2cdisplayName&$skiptoken=X%2744537074%27&x=%3d");
    expect(target.displayPath).toBe("/users");
  });

  test("accepts the Graph host in another letter case, refuses other hosts", () => {
    expect(resolveRequestTarget(base, "https://GRAPH.microsoft.com/v1.0/users/delta?$deltatoken=a", undefined).origin)
      .toBe("https://graph.microsoft.com");
    for (const link of ["https://graph.microsoft.com.evil.example/v1.0/users", "http://graph.microsoft.com/v1.0/users", "https://graph.microsoft.us/v1.0/users"]) {
      expect(() => resolveRequestTarget(base, link, undefined)).toThrow(KaivoError);
    }
  });

  test("refuses query options on a link", () => {
    expect(() => resolveRequestTarget(base, `${base}/users?$skiptoken=a`, { $top: "5" })).toThrow(/bakes them into the link/);
  });
});

describe("helpers", () => {
  test("encodeQuery writes spaces as %20 and keeps OData punctuation", () => {
    expect(encodeQuery({ $select: "id,mail", $search: '"displayName:a&b"' })).toBe('$select=id,mail&$search=%22displayName:a%26b%22');
  });

  test.each([
    ["https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/.default"],
    ["https://graph.microsoft.us/v1.0", "https://graph.microsoft.us/.default"],
    ["https://microsoftgraph.chinacloudapi.cn/v1.0/", "https://microsoftgraph.chinacloudapi.cn/.default"],
    ["https://127.0.0.1:8443/v1.0", "https://127.0.0.1:8443/.default"],
  ])("graphScope(%s) is %s", (url, scope) => {
    expect(graphScope(url)).toBe(scope);
  });
});
