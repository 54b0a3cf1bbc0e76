import type { TokenStore } from "./auth/token-store.js";
import type { FaultInjector } from "./faults/fault-injector.js";
import type { EndpointEnv } from "./http/endpoint.js";
import type { ResponseCache } from "./http/response-cache.js";
import type { RequestRecorder } from "./observe/request-log.js";
import type { Throttler } from "./throttle/throttle-budgets.js";

/** Everything a running simulator shares between the HTTP server and the control API. */
export interface SimulatorRuntime {
  env: EndpointEnv;
  faults: FaultInjector;
  throttler: Throttler;
  tokens: TokenStore;
  recorder: RequestRecorder;
  secret: { value: string; expired: boolean };
  /** Added to every Graph request. */
  latencyMs: number;
  /** Pages already rendered, replayed while the tenant is unchanged. */
  responses: ResponseCache;
}
