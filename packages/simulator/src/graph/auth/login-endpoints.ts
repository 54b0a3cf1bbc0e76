import { randomUUID } from "node:crypto";
import type { TokenStore } from "./token-store.js";

export interface LoginConfig {
  authorityHost: string;
  tenantId: string;
  tenantDomain: string;
  clientId: string;
  /** Mutable: the control API can expire the secret. */
  secret: { value: string; expired: boolean };
  tokenLifetimeSeconds: () => number;
  graphRoots: readonly string[];
  now: () => Date;
  tokens: TokenStore;
}

export interface LoginResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Which tenant a path segment names (tenant GUID or the tenant's domain), or undefined. */
function knownTenant(config: LoginConfig, segment: string): boolean {
  const s = segment.toLowerCase();
  return s === config.tenantId.toLowerCase() || s === config.tenantDomain.toLowerCase();
}

/** GET /{tenant}/v2.0/.well-known/openid-configuration (what MSAL fetches with knownAuthorities). */
export function openIdConfiguration(config: LoginConfig, tenantSegment: string): LoginResponse {
  if (!knownTenant(config, tenantSegment)) {
    return aadError(config, 400, "invalid_tenant", 90002, `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
  }
  const base = `${config.authorityHost}/${config.tenantId}`;
  const body = {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${config.authorityHost}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nonce", "tid", "ver"],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
}

/** GET /{tenant}/discovery/v2.0/keys: an empty key set (tokens are opaque here). */
export function jwks(): LoginResponse {
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify({ keys: [] }) };
}

/** POST /{tenant}/oauth2/v2.0/token, client-credentials grant (§2). */
export function tokenEndpoint(config: LoginConfig, tenantSegment: string, headers: Record<string, string | string[] | undefined>, rawBody: string): LoginResponse {
  const form = new URLSearchParams(rawBody);
  let clientId = form.get("client_id") ?? undefined;
  let secret = form.get("client_secret") ?? undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(String(headers["authorization"] ?? ""));
  if (basic?.[1] !== undefined) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    clientId ??= decodeURIComponent(decoded.slice(0, colon));
    secret ??= decodeURIComponent(decoded.slice(colon + 1));
  }
  if (!knownTenant(config, tenantSegment)) {
    return aadError(config, 400, "invalid_tenant", 90002, `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
  }
  const grant = form.get("grant_type");
  if (grant !== "client_credentials") {
    return aadError(config, 400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant ?? ""}'.`);
  }
  if (clientId === undefined || clientId === "") {
    return aadError(config, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  }
  if (clientId.toLowerCase() !== config.clientId.toLowerCase()) {
    return aadError(config, 400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${config.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  const scope = form.get("scope") ?? "";
  if (scope === "") {
    return aadError(config, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
  }
  const scopes = scope.split(/\s+/).filter((s) => s.length > 0);
  const resourceScope = scopes.find((s) => s !== "openid" && s !== "profile" && s !== "offline_access");
  if (resourceScope === undefined || !resourceScope.endsWith("/.default")) {
    return aadError(config, 400, "invalid_scope", 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const resource = resourceScope.slice(0, -"/.default".length).replace(/\/$/, "").toLowerCase();
  if (!config.graphRoots.some((root) => root.toLowerCase() === resource)) {
    return aadError(config, 400, "invalid_resource", 500011, `The resource principal named ${resource} was not found in the tenant named ${config.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
  }
  if (secret === undefined || secret === "") {
    return aadError(config, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (secret !== config.secret.value) {
    return aadError(config, 401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${config.clientId}'.`);
  }
  if (config.secret.expired) {
    return aadError(config, 401, "invalid_client", 7000222, `The provided client secret keys for app '${config.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
  }
  const lifetime = config.tokenLifetimeSeconds();
  const accessToken = config.tokens.issue(lifetime, { tid: config.tenantId, appid: config.clientId, aud: resource });
  return {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store, no-cache", pragma: "no-cache" },
    body: JSON.stringify({ token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken }),
  };
}

/** An AADSTS-shaped error body (§2.3): timestamp with a space, trace and correlation ids. */
export function aadError(config: LoginConfig, status: number, error: string, code: number, text: string): LoginResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = config.now().toISOString().slice(0, 19).replace("T", " ") + "Z";
  const body = {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${config.authorityHost}/error?code=${code}`,
  };
  return { status, headers: { "content-type": "application/json; charset=utf-8", "x-ms-request-id": traceId }, body: JSON.stringify(body) };
}
