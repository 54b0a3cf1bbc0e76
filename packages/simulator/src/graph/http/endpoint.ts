import type { IncomingHttpHeaders } from "node:http";
import type { Tenant } from "../model/tenant.js";
import type { QueryOptions } from "./odata-query.js";
import type { PageTokenCodec } from "./page-token.js";
import type { PrefetchCache } from "./prefetch-cache.js";

/** One parsed Graph request. */
export interface GraphRequest {
  method: string;
  url: URL;
  options: QueryOptions;
  headers: IncomingHttpHeaders;
  body: string;
  requestId: string;
  clientRequestId: string;
  /** Set by the "deltaExpired" fault: any delta or skip token on this request counts as expired. */
  forceDeltaExpired: boolean;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Mutable switches shared by endpoints and the control API. */
export interface SimulatorSettings {
  signInActivityLicensed: boolean;
  permissions: Set<string>;
  /** Delta tokens minted before this generation are expired (control: expireDeltaTokens). */
  deltaTokenGeneration: number;
  /** List and audit page tokens minted before this generation are expired (control: expirePageTokens). */
  pageTokenGeneration: number;
  deltaTokenLifetimeMs: number;
  expiredDeltaTokenStatus: 400 | 410;
  deltaPageSize: number;
  deltaRefsPerPage: number;
  /** Each change its own item in a delta round, so that an object changed twice comes twice (types.ts: deltaReplays). */
  deltaReplays: boolean;
}

export interface EndpointEnv {
  tenant: Tenant;
  codec: PageTokenCodec;
  graphBaseUrl: string;
  settings: SimulatorSettings;
  prefetch: PrefetchCache;
  now(): Date;
}

export type ThrottleClass = "identity" | "audit" | "signInActivity" | "identityProvider";

/** A Graph route: its key (path under /v1.0, as used by faults and counters), rules and handler. */
export interface Endpoint {
  key: string;
  method: "GET" | "POST";
  /** Every inner list must be satisfied by at least one granted permission. */
  permissions: readonly (readonly string[])[];
  throttle: ThrottleClass;
  /** The budget a request draws on when its options decide it (users with signInActivity selected); `throttle` otherwise. */
  throttleOf?(options: QueryOptions): ThrottleClass;
  /** Resource units before $select/$top adjustments (§6). */
  baseCost: number;
  handle(req: GraphRequest, env: EndpointEnv): GraphResponse;
}

export const JSON_CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export function jsonResponse(body: string | Buffer, status = 200): GraphResponse {
  return { status, headers: { "content-type": JSON_CONTENT_TYPE }, body };
}
