import type { ThrottleClass } from "./request-budget.js";

/**
 * Events the Graph client emits through `onEvent`. They carry ids, paths (no query) and
 * timings only: never tokens, secrets or response bodies.
 */
export type GraphEvent =
  | {
      type: "graph.retry";
      table: string;
      path: string;
      /** HTTP status of the failed attempt, or null when no response arrived. */
      status: number | null;
      /** Network error code (ECONNRESET, UND_ERR_SOCKET, …), "invalid-body" or "token-unavailable"; null for a status. */
      error: string | null;
      /** The attempt that failed (1-based). */
      attempt: number;
      waitMs: number;
      reason: "retry-after" | "backoff";
    }
  | {
      type: "graph.throttled";
      table: string;
      path: string;
      throttleClass: ThrottleClass;
      status: number;
      /** How long this class is paused for every table. */
      waitMs: number;
      attempt: number;
      /** Graph's x-ms-throttle-information header (e.g. ResourceUnitLimitExceeded), if any. */
      information: string | null;
    }
  | {
      /** A request waits for room in Graph's published limit for its class (Kaivo paces, rather than be throttled). */
      type: "graph.paced";
      table: string;
      path: string;
      throttleClass: ThrottleClass;
      /** How long it waits at least. */
      waitMs: number;
      /** The rate Kaivo keeps the class to: `limit` requests (resource units for directory) per `windowMs`. */
      limit: number;
      windowMs: number;
    }
  | {
      type: "graph.token.refreshed";
      table: string;
      path: string;
      /** Why the token was re-acquired. */
      reason: "401";
    };

export type GraphEventListener = (event: GraphEvent) => void;

/** Request and retry counts for one table. */
export interface GraphTableStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Attempts that were retried. */
  retries: number;
  /** 429 answers received. */
  throttled: number;
}
