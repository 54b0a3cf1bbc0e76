/** Default endpoints of the global Microsoft cloud (graph-api.md §1). */
export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
export const DEFAULT_LOGIN_BASE_URL = "https://login.microsoftonline.com";

/**
 * Login hosts MSAL knows by heart (its hard-coded metadata and alias table, msal-node 7.2.1).
 * For these MSAL makes no discovery request; any other host (the simulator, a proxy) must be
 * declared in `knownAuthorities`, or MSAL asks login.microsoftonline.com about it.
 */
const MICROSOFT_LOGIN_HOSTS: ReadonlySet<string> = new Set([
  "login.microsoftonline.com",
  "login.windows.net",
  "login.microsoft.com",
  "sts.windows.net",
  "login.microsoftonline.us",
  "login.usgovcloudapi.net",
  "login-us.microsoftonline.com",
  "login.partner.microsoftonline.cn",
  "login.chinacloudapi.cn",
  "login.microsoftonline.de",
  "login.sovcloud-identity.fr",
  "login.sovcloud-identity.de",
  "login.sovcloud-identity.sg",
]);

export function isMicrosoftLoginHost(host: string): boolean {
  return MICROSOFT_LOGIN_HOSTS.has(host.toLowerCase());
}

/** Drops trailing slashes so paths can be joined with a single `/`. */
export function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * The client-credentials scope for a Graph base URL: `<origin>/.default`
 * (https://graph.microsoft.com/v1.0 → https://graph.microsoft.com/.default).
 */
export function graphScope(graphBaseUrl: string): string {
  return `${new URL(graphBaseUrl).origin}/.default`;
}

/** The MSAL authority for a tenant: `<login base>/<tenant>`. */
export function authorityUrl(loginBaseUrl: string, tenantId: string): string {
  return `${trimTrailingSlash(loginBaseUrl)}/${encodeURIComponent(tenantId)}`;
}
