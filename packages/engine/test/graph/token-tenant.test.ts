import { describe, expect, it } from "vitest";
import { tenantOfToken } from "../../src/graph/token-tenant.js";

const jwt = (claims: unknown) => `${Buffer.from('{"typ":"JWT","alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2lnbmF0dXJl`;
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

describe("tenantOfToken", () => {
  it("reads the tid claim of a JWT", () => {
    expect(tenantOfToken(jwt({ tid: TENANT, aud: "https://graph.microsoft.com" }))).toBe(TENANT);
  });

  it("gives nothing for an opaque token, a payload that is not JSON, or a tid that is not a GUID", () => {
    expect(tenantOfToken("opaque-token-without-dots")).toBeUndefined();
    expect(tenantOfToken("a.not-base64-json.c")).toBeUndefined();
    expect(tenantOfToken(jwt({ aud: "x" }))).toBeUndefined();
    expect(tenantOfToken(jwt({ tid: "contoso.onmicrosoft.com" }))).toBeUndefined();
    expect(tenantOfToken(jwt(["not", "an", "object"]))).toBeUndefined();
  });
});
