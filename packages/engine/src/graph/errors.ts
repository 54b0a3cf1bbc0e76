import { KaivoError, type ErrorCategory } from "@kaivo/codegen";

/** A Graph request failed for good (after any retries). */
export const KAIVO_GRAPH_REQUEST_FAILED = "KAIVO_GRAPH_REQUEST_FAILED";
/** Graph answered 403: the app lacks a permission (or admin consent). */
export const KAIVO_GRAPH_PERMISSION_MISSING = "KAIVO_GRAPH_PERMISSION_MISSING";
/** A delta or skip link is no longer accepted; the table needs a full resync. */
export const KAIVO_GRAPH_DELTA_TOKEN_EXPIRED = "KAIVO_GRAPH_DELTA_TOKEN_EXPIRED";
export const KAIVO_GRAPH_PAGE_LINK_EXPIRED = "KAIVO_GRAPH_PAGE_LINK_EXPIRED";
/** The token endpoint refused to issue an access token (or could not be reached). */
export const KAIVO_GRAPH_AUTH_FAILED = "KAIVO_GRAPH_AUTH_FAILED";
/** A link pointed at a host other than the configured Graph host; the token is never sent there. */
export const KAIVO_GRAPH_FOREIGN_LINK = "KAIVO_GRAPH_FOREIGN_LINK";

/** What is known about a failed Graph request. Never holds tokens, secrets or query strings. */
export interface GraphFailure {
  /** HTTP status; undefined when no response arrived (reset, timeout, TLS failure). */
  status: number | undefined;
  /** `error.code` from the Graph error body, or the network error code (e.g. ECONNRESET). */
  graphCode: string | undefined;
  /** `error.message` from the Graph error body (already redacted, shortened). */
  graphMessage: string | undefined;
  method: string;
  /** Path relative to the Graph version root, without the query (e.g. `/users/delta`). */
  path: string;
  /** Graph's `request-id` response header (or the one inside `innerError`). */
  requestId: string | undefined;
  /** The table that made the request. */
  table: string;
  /** HTTP attempts made, including the failed last one. */
  attempts: number;
  /** True when the same request could succeed later (throttling, outage, network). */
  retryable: boolean;
}

interface GraphErrorOverrides {
  code?: string;
  category?: ErrorCategory;
  message?: string;
  hint?: string;
  cause?: unknown;
}

function describe(f: GraphFailure): string {
  const what = f.status === undefined ? (f.graphCode ?? "network error") : `${f.status}${f.graphCode ? ` ${f.graphCode}` : ""}`;
  return `${f.method} ${f.path} failed after ${f.attempts} attempt${f.attempts === 1 ? "" : "s"} (${what})` +
    (f.graphMessage ? `: ${f.graphMessage}` : "") +
    (f.requestId ? ` [request-id ${f.requestId}]` : "");
}

/** A Graph request that failed for good. Subclasses name the special cases callers act on. */
export class GraphRequestError extends KaivoError {
  readonly status: number | undefined;
  readonly graphCode: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | undefined;
  readonly table: string;
  readonly attempts: number;
  readonly retryable: boolean;

  constructor(failure: GraphFailure, overrides: GraphErrorOverrides = {}) {
    super(
      overrides.code ?? KAIVO_GRAPH_REQUEST_FAILED,
      overrides.category ?? (failure.retryable ? "transient" : "upstream"),
      overrides.message ?? describe(failure),
      {
        ...(overrides.hint === undefined ? {} : { hint: overrides.hint }),
        ...(overrides.cause === undefined ? {} : { cause: overrides.cause }),
      },
    );
    this.status = failure.status;
    this.graphCode = failure.graphCode;
    this.method = failure.method;
    this.path = failure.path;
    this.requestId = failure.requestId;
    this.table = failure.table;
    this.attempts = failure.attempts;
    this.retryable = failure.retryable;
  }
}

/**
 * Graph answered 403. Graph does not say which permission is missing, so the message names the
 * one the table's declaration requires, plus the app to grant it to.
 */
export class MissingPermissionError extends GraphRequestError {
  readonly permission: string;
  readonly clientId: string;

  constructor(failure: GraphFailure, permission: string, clientId: string) {
    const premium = failure.graphCode === "Authentication_RequestFromNonPremiumTenantOrB2CTenant";
    super(failure, {
      code: KAIVO_GRAPH_PERMISSION_MISSING,
      category: "config",
      // A tenant without the licence: no permission grants it, so the message names the licence.
      message:
        `Graph denied access to ${failure.path} (403${failure.graphCode ? ` ${failure.graphCode}` : ""}). ` +
        (premium
          ? "The tenant has no Microsoft Entra ID P1 or P2 licence, which this data needs."
          : `Grant the application permission ${permission} to app ${clientId} and give admin consent.`),
      hint: premium
        ? `Deselect the table (or column) in the config, or license the tenant; app ${clientId} also needs ${permission}.`
        : `In the Entra admin center: App registrations > ${clientId} > API permissions > Add ${permission} (Application) > Grant admin consent.`,
    });
    this.permission = permission;
    this.clientId = clientId;
  }
}

/** Error codes Graph uses for a dead delta/skip token (graph-api.md §5.5; casing varies). */
export const DELTA_TOKEN_ERROR_CODES: ReadonlySet<string> = new Set([
  "syncStateNotFound",
  "SyncStateNotFound",
  "resyncRequired",
  "SyncStateInvalid",
]);

/**
 * A delta or skip link is no longer valid (400/410 with a sync-state code, or 410 Gone).
 * Recoverable: the table runner starts a full resync, from `location` when Graph gave one.
 * Never retry the same link.
 */
export class DeltaTokenExpiredError extends GraphRequestError {
  /** The fresh initial delta URL from a 410's `Location` header, when present. */
  readonly location: string | undefined;

  constructor(failure: GraphFailure, location: string | undefined) {
    super(failure, {
      code: KAIVO_GRAPH_DELTA_TOKEN_EXPIRED,
      category: "upstream",
      message:
        `The delta token for ${failure.table} is no longer valid (${failure.status}${failure.graphCode ? ` ${failure.graphCode}` : ""}); ` +
        "a full resync is needed.",
      hint: "Kaivo resyncs the table from scratch; delta tokens expire after 7 days without a sync.",
    });
    this.location = location;
  }
}

/** The error code Graph gives a list or audit-log page link ($skiptoken) it no longer accepts. */
export const PAGE_LINK_EXPIRED_CODE = "Directory_ExpiredPageToken";

/**
 * A list's or the audit log's nextLink is no longer valid (400 Directory_ExpiredPageToken: a
 * checkpoint's link kept too long, or a page token that timed out on a large tenant). Recoverable:
 * the table runner starts the round over. Never retry the same link.
 */
export class PageLinkExpiredError extends GraphRequestError {
  constructor(failure: GraphFailure) {
    super(failure, {
      code: KAIVO_GRAPH_PAGE_LINK_EXPIRED,
      category: "upstream",
      message: `Graph no longer accepts the page link of ${failure.table} (${failure.status} ${PAGE_LINK_EXPIRED_CODE}); the round starts over.`,
    });
  }
}

/** Details of a token endpoint failure. */
export interface AuthenticationFailure {
  clientId: string;
  tenantId: string;
  /** Host of the login endpoint, e.g. login.microsoftonline.com. */
  loginHost: string;
  /** OAuth `error` (e.g. invalid_client) or the MSAL error code. */
  oauthError: string | undefined;
  /** Numeric AADSTS code, e.g. "7000215". */
  aadstsCode: string | undefined;
  /** HTTP status of the token response, when there was one. */
  status: number | undefined;
  /** True when trying again later may help (5xx, network). */
  retryable: boolean;
}

/** The token endpoint refused or could not be reached. The message never holds the secret. */
export class AuthenticationError extends KaivoError {
  readonly clientId: string;
  readonly tenantId: string;
  readonly oauthError: string | undefined;
  readonly aadstsCode: string | undefined;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(failure: AuthenticationFailure, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(KAIVO_GRAPH_AUTH_FAILED, failure.retryable ? "transient" : "config", message, options);
    this.clientId = failure.clientId;
    this.tenantId = failure.tenantId;
    this.oauthError = failure.oauthError;
    this.aadstsCode = failure.aadstsCode;
    this.status = failure.status;
    this.retryable = failure.retryable;
  }
}
