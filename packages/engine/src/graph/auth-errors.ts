import type { AuthError } from "@azure/msal-node";
import { AuthenticationError, type AuthenticationFailure } from "./errors.js";
import type { Msal } from "./msal.js";
import type { SecretRedactor } from "./redact.js";
import type { LoginRefusal } from "./undici-network-client.js";
import { isRetryableNetworkCode, isTlsTrustCode, TLS_TRUST_HINT } from "./retry-policy.js";

/** MSAL's error classes, from the module the token request loaded. */
export type MsalErrors = Pick<Msal, "AuthError" | "ServerError">;

export interface AuthErrorContext {
  clientId: string;
  tenantId: string;
  loginHost: string;
  scope: string;
  /** The transport error behind an MSAL network failure, when known. */
  networkErrorCode?: string | undefined;
  /** What the login host refused the last request with (see UndiciNetworkClient.lastRefusal). */
  loginRefusal?: LoginRefusal | undefined;
}

/** The AADSTS number from an MSAL error: `errorNo`, a numeric errorCode (MSAL's local throttle), or the text. */
function aadstsCodeOf(error: AuthError, { ServerError }: MsalErrors): string | undefined {
  // Typed as a string, but msal-node 7.2.1 passes the token response's number through.
  let errorNo: unknown = error instanceof ServerError ? error.errorNo : undefined;
  if (Array.isArray(errorNo)) errorNo = errorNo[0];
  if ((typeof errorNo === "string" || typeof errorNo === "number") && String(errorNo) !== "") {
    return String(errorNo).split(/\s+/)[0];
  }
  const code = String(error.errorCode ?? "");
  if (/^\d+(\s+\d+)*$/.test(code)) return code.split(/\s+/)[0];
  return /AADSTS(\d+)/.exec(String(error.errorMessage ?? error.message))?.[1];
}

function failure(ctx: AuthErrorContext, extra: Partial<AuthenticationFailure>): AuthenticationFailure {
  return {
    clientId: ctx.clientId,
    tenantId: ctx.tenantId,
    loginHost: ctx.loginHost,
    oauthError: undefined,
    aadstsCode: undefined,
    status: undefined,
    retryable: false,
    ...extra,
  };
}

/**
 * Turns whatever MSAL threw into an AuthenticationError with a message that says what to fix.
 * Keys on the OAuth `error` and the AADSTS number, never on the description text (graph-api.md
 * §2.3). The message is built from our own words plus ids; it never includes the secret.
 */
export function toAuthenticationError(error: unknown, ctx: AuthErrorContext, redactor: SecretRedactor, msal: MsalErrors): AuthenticationError {
  const { AuthError, ServerError } = msal;
  const app = `app ${ctx.clientId}`;
  const tenant = `tenant ${ctx.tenantId}`;
  if (!(error instanceof AuthError)) {
    // A network failure inside our network client (reset, TLS, DNS) surfaces as itself.
    const code = (error as { code?: unknown } | null)?.code;
    const detail = typeof code === "string" ? code : error instanceof Error ? error.name : "unknown error";
    return new AuthenticationError(
      failure(ctx, { oauthError: detail, retryable: isRetryableNetworkCode(detail) }),
      `Could not get a token for ${app} from ${ctx.loginHost} (${detail}).`,
      { hint: isTlsTrustCode(detail) ? TLS_TRUST_HINT : "Check the network path to the login endpoint and graph.loginUrl.", cause: error },
    );
  }

  const tlsCode = ctx.networkErrorCode !== undefined && isTlsTrustCode(ctx.networkErrorCode) ? ctx.networkErrorCode : undefined;
  if (tlsCode) {
    return new AuthenticationError(
      failure(ctx, { oauthError: error.errorCode, retryable: false }),
      `Could not get a token for ${app}: the TLS certificate of ${ctx.loginHost} is not trusted (${tlsCode}).`,
      { hint: TLS_TRUST_HINT, cause: error },
    );
  }
  // Where MSAL reports only that the tenant's metadata could not be read, the login host's own answer says why.
  const metadataError = error.errorCode === "endpoints_resolution_error" || error.errorCode === "openid_config_error";
  const refusal = metadataError ? ctx.loginRefusal : undefined;
  const aadsts = aadstsCodeOf(error, msal) ?? refusal?.aadstsCode;
  const status = error instanceof ServerError ? error.status : undefined;
  const oauthError = refusal?.error ?? error.errorCode;
  const tag = aadsts ? `AADSTS${aadsts}` : oauthError;
  const base = { oauthError, aadstsCode: aadsts, status };
  const make = (message: string, hint: string | undefined, retryable = false): AuthenticationError =>
    new AuthenticationError(failure(ctx, { ...base, retryable }), redactor.redact(message), {
      ...(hint === undefined ? {} : { hint }),
      cause: error,
    });

  switch (aadsts) {
    case "7000215":
      return make(`The client secret for ${app} was rejected by ${tenant} (AADSTS7000215). Check AZURE_CLIENT_SECRET.`,
        "Use the secret's Value from the app registration, not its Secret ID.");
    case "7000222":
      return make(`The client secret for ${app} has expired (AADSTS7000222). Create a new secret and update AZURE_CLIENT_SECRET.`, undefined);
    case "90002":
      return make(`Tenant ${ctx.tenantId} was not found at ${ctx.loginHost} (AADSTS90002).`, "Check the tenant id (AZURE_TENANT_ID, or tenantId in the config) and graph.loginUrl, the cloud it signs in at.");
    case "700016":
      return make(`App ${ctx.clientId} was not found in ${tenant} (AADSTS700016). Check AZURE_CLIENT_ID and that the app is registered or consented in this tenant.`, undefined);
    case "500011":
      return make(`The token endpoint knows no resource for the scope ${ctx.scope} in ${tenant} (AADSTS500011): it signs no tokens for that Graph host.`,
        "Check graph.baseUrl (e.g. https://graph.microsoft.com/v1.0, or your national cloud's Graph host) against graph.loginUrl.");
    case "1002012":
    case "70011":
      return make(`The token endpoint rejected the scope ${ctx.scope} (${tag}). Check the Graph base URL matches the cloud of the login endpoint.`, undefined);
    default:
      break;
  }

  switch (oauthError) {
    case "invalid_client":
    case "unauthorized_client":
      return make(`The token endpoint rejected the credentials of ${app} in ${tenant} (${tag}). Check AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.`, undefined);
    case "invalid_tenant":
      return make(`Tenant ${ctx.tenantId} was not accepted by ${ctx.loginHost} (${tag}). Check AZURE_TENANT_ID.`, undefined);
    case "authority_uri_insecure":
    case "url_parse_error":
    case "invalid_authority_type":
    case "untrusted_authority":
    case "issuer_validation_failed":
      return make(`The login endpoint ${ctx.loginHost} is not usable as an authority (${oauthError}); it must be an https URL.`, undefined);
    case "missing_tenant_id_error":
      return make(`Tenant "${ctx.tenantId}" cannot be used for an app-only token (${oauthError}); give the tenant id or a verified domain.`, undefined);
    default:
      break;
  }

  const unreachable = ctx.networkErrorCode !== undefined && (oauthError === "endpoints_resolution_error" || oauthError === "openid_config_error" || oauthError === "network_error");
  if (unreachable) {
    return make(`Could not reach the login host ${ctx.loginHost} (${ctx.networkErrorCode}).`, "Check graph.loginUrl and that the host is reachable from here (a proxy or firewall may stand in the way).", true);
  }
  if (oauthError === "endpoints_resolution_error" || oauthError === "openid_config_error") {
    // MSAL drops the reason (a login host outside Microsoft's list is asked for the tenant's metadata
    // first), so a tenant the host does not know looks like an unreachable host: name both.
    return make(
      `Could not read the sign-in metadata of ${tenant} from ${ctx.loginHost} (${oauthError}).`,
      "Check AZURE_TENANT_ID (or tenantId) and graph.loginUrl, and that the login host is reachable.",
      true,
    );
  }

  // MSAL's local throttle rejection has the AADSTS numbers as its errorCode and no status.
  const locallyThrottled = status === undefined && /^\d+(\s+\d+)*$/.test(String(oauthError));
  const transient = locallyThrottled || (status !== undefined && (status === 429 || status >= 500)) ||
    oauthError === "temporarily_unavailable" || oauthError === "network_error";
  if (transient) {
    return make(`The token endpoint at ${ctx.loginHost} is unavailable for ${app} (${tag}${status ? `, HTTP ${status}` : ""}).`, undefined, true);
  }
  return make(`The token endpoint refused a token for ${app} in ${tenant} (${tag}${status ? `, HTTP ${status}` : ""}).`, undefined);
}
