export { GraphClient, type GraphClientOptions, type GraphRequest, type GraphResponse } from "./graph-client.js";
export type { GraphEvent, GraphEventListener, GraphTableStats } from "./graph-events.js";
export {
  RequestBudget,
  DEFAULT_RATE_LIMITS,
  THROTTLE_CLASSES,
  type BudgetPermit,
  type RateLimit,
  type RequestBudgetOptions,
  type ThrottleClass,
} from "./request-budget.js";
export {
  RetryPolicy,
  parseRetryAfter,
  type AttemptFailure,
  type RetryDecision,
  type RetryPolicyOptions,
} from "./retry-policy.js";
export { TokenProvider, type AccessTokenSource, type GetTokenOptions, type TokenProviderOptions } from "./token-provider.js";
export {
  AuthenticationError,
  DeltaTokenExpiredError,
  GraphRequestError,
  MissingPermissionError,
  PageLinkExpiredError,
  DELTA_TOKEN_ERROR_CODES,
  KAIVO_GRAPH_AUTH_FAILED,
  KAIVO_GRAPH_DELTA_TOKEN_EXPIRED,
  KAIVO_GRAPH_FOREIGN_LINK,
  KAIVO_GRAPH_PAGE_LINK_EXPIRED,
  KAIVO_GRAPH_PERMISSION_MISSING,
  KAIVO_GRAPH_REQUEST_FAILED,
  type AuthenticationFailure,
  type GraphFailure,
} from "./errors.js";
export { systemClock, type Clock } from "./clock.js";
export { createHttpAgent, type HttpAgentOptions } from "./http-agent.js";
export { DEFAULT_GRAPH_BASE_URL, DEFAULT_LOGIN_BASE_URL, graphScope } from "./cloud.js";
export { encodeQuery, isForeignLink } from "./request-url.js";
export { SecretRedactor } from "./redact.js";
