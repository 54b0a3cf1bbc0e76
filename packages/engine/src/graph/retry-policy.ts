/** One failed attempt, as the retry policy sees it. */
export type AttemptFailure =
  /** An HTTP response with a status the client did not handle itself (not 2xx, 401, 403, delta). */
  | { kind: "status"; status: number; retryAfter: string | undefined }
  /** No (complete) response: reset, socket closed, timeout, TLS or DNS failure. `code` is the error code. */
  | { kind: "network"; code: string }
  /** A 2xx response whose body is not valid JSON (cut off mid-stream). */
  | { kind: "invalid-body" }
  /** The token endpoint was unavailable (5xx, network). */
  | { kind: "token-unavailable" };

export type RetryDecision =
  | { retry: false }
  | { retry: true; delayMs: number; reason: "retry-after" | "backoff" };

export interface RetryPolicyOptions {
  /** Total attempts per request, the first included. Default 6. */
  maxAttempts?: number;
  /** First backoff ceiling; doubles per attempt. Default 1,000 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 60,000 ms. */
  maxDelayMs?: number;
  /** Longest Retry-After honoured; longer values are cut to this. Default 300,000 ms (5 min). */
  maxRetryAfterMs?: number;
  /** Uniform [0, 1); injected for tests. */
  random?: () => number;
  /** Epoch ms, for HTTP-date Retry-After values; injected for tests. */
  now?: () => number;
}

/** Statuses worth another try after a pause (graph-api.md §6, §7). 429 and 503 may say how long. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Node's codes for a server certificate the client does not trust, or that names another host. */
const TLS_TRUST_CODES =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_\w+|ERR_SSL_\w+)$/;

/** Network errors that will not go away by retrying besides TLS trust: unknown host, bad arguments. */
const PERMANENT_NETWORK_CODES = /^(ENOTFOUND|ERR_INVALID_URL|UND_ERR_INVALID_ARG|UND_ERR_NOT_SUPPORTED)$/;

/** What to do about an untrusted certificate, for the errors that report one. */
export const TLS_TRUST_HINT =
  "Set graph.caFile to the PEM file of the CA that signs the host's certificate (for the simulator, the caFile its ready line gives; behind a TLS-inspecting proxy, the proxy's CA).";

/** True when a network error code says the server's TLS certificate is not trusted. */
export function isTlsTrustCode(code: string): boolean {
  return TLS_TRUST_CODES.test(code);
}

/** True when a network error code is worth retrying (resets, timeouts, closed sockets, …). */
export function isRetryableNetworkCode(code: string): boolean {
  return !PERMANENT_NETWORK_CODES.test(code) && !isTlsTrustCode(code);
}

/** True when a status is worth retrying at all (independent of attempts left). */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Parses Retry-After: delay seconds, possibly fractional ("2.128", graph-api.md §6), or an
 * HTTP-date (RFC 9110). Returns milliseconds (≥ 0), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number.parseFloat(text) * 1000);
  // An HTTP-date always has a day or month name; Date.parse alone would accept "-1" as a year.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Decides whether and when to retry one failed attempt: Retry-After for 429/503 (capped),
 * else exponential backoff with full jitter for 5xx, 408, 429 without Retry-After, network
 * errors and cut-off bodies; never for other 4xx; at most `maxAttempts` attempts in all.
 */
export class RetryPolicy {
  readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 6);
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 300_000;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Whether the failure is of a retryable kind at all (ignoring attempts left). */
  isRetryable(failure: AttemptFailure): boolean {
    switch (failure.kind) {
      case "status":
        return isRetryableStatus(failure.status);
      case "network":
        return isRetryableNetworkCode(failure.code);
      case "invalid-body":
      case "token-unavailable":
        return true;
    }
  }

  /** @param attempt the number of attempts made so far, the failed one included (1-based). */
  decide(failure: AttemptFailure, attempt: number): RetryDecision {
    if (attempt >= this.maxAttempts || !this.isRetryable(failure)) return { retry: false };
    if (failure.kind === "status" && (failure.status === 429 || failure.status === 503)) {
      const ms = parseRetryAfter(failure.retryAfter, this.now());
      if (ms !== undefined) return { retry: true, delayMs: Math.min(ms, this.maxRetryAfterMs), reason: "retry-after" };
    }
    return { retry: true, delayMs: this.backoff(attempt), reason: "backoff" };
  }

  /** Full jitter: uniform in [0, min(cap, base · 2^(attempt-1))). */
  backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.floor(this.random() * ceiling);
  }
}
