/** What a fault does to a matching request. */
export type FaultKind =
  | "latency" // delay before answering (latencyMs)
  | "429" // TooManyRequests with Retry-After (retryAfterSeconds, fractional allowed)
  | "500"
  | "503" // serviceNotAvailable, optional Retry-After
  | "504" // gateway timeout
  | "reset" // connection destroyed mid-body
  | "truncate" // 200 whose JSON body is cut short
  | "401" // InvalidAuthenticationToken; the presented token is expired for good
  | "403" // Authorization_RequestDenied
  | "deltaExpired"; // delta/skip tokens on delta endpoints answer syncStateNotFound (or 410)

export const FAULT_KINDS: readonly FaultKind[] = ["latency", "429", "500", "503", "504", "reset", "truncate", "401", "403", "deltaExpired"];

export interface FaultRule {
  kind: FaultKind;
  /** Probability per matching request, 0..1. Without rate or count the rule fires on every match. */
  rate?: number;
  /** Fire on the next N matching requests, then the rule is spent. */
  count?: number;
  /**
   * Graph endpoint key ("users", "users/delta", "auditLogs/directoryAudits", …), a prefix ending in
   * "*" ("users*"), or "token" for the token endpoint. Default: every Graph endpoint.
   */
  endpoint?: string;
  /** latency: delay in milliseconds (default 100). */
  latencyMs?: number;
  /** 429/503: the Retry-After value in seconds (429 default 1.5; 503 default none). */
  retryAfterSeconds?: number;
}
