const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant id (`tid` claim, a GUID) of an access token that is a JWT, as Microsoft Graph's are;
 * undefined for any other token. Read, not verified: it only names the tenant the run signed in to,
 * whichever way the config names it (GUID or domain).
 */
export function tenantOfToken(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown };
    return typeof claims.tid === "string" && GUID.test(claims.tid) ? claims.tid : undefined;
  } catch {
    return undefined;
  }
}
