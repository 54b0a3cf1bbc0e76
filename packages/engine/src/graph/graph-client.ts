import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { systemClock, type Clock } from "./clock.js";
import { DEFAULT_GRAPH_BASE_URL, DEFAULT_LOGIN_BASE_URL, trimTrailingSlash } from "./cloud.js";
import {
  AuthenticationError,
  DELTA_TOKEN_ERROR_CODES,
  DeltaTokenExpiredError,
  PAGE_LINK_EXPIRED_CODE,
  PageLinkExpiredError,
  GraphRequestError,
  MissingPermissionError,
  type GraphFailure,
} from "./errors.js";
import { parseGraphErrorBody } from "./graph-error-body.js";
import { parseJsonChunks } from "./json-body.js";
import type { GraphEvent, GraphEventListener, GraphTableStats } from "./graph-events.js";
import { createHttpAgent } from "./http-agent.js";
import { ATTEMPT_ABORTED, dispatcherTransport, type AttemptOutcome, type HttpTransport } from "./http-transport.js";
import { SecretRedactor } from "./redact.js";
import type { RequestBudget, ThrottleClass } from "./request-budget.js";
import { resolveRequestTarget, type RequestTarget } from "./request-url.js";
import { isTlsTrustCode, parseRetryAfter, RetryPolicy, TLS_TRUST_HINT, type AttemptFailure, type RetryPolicyOptions } from "./retry-policy.js";
import { TokenProvider, type AccessTokenSource, type GetTokenOptions } from "./token-provider.js";
import { WorkerHttpTransport } from "./worker-http-transport.js";
import { tenantOfToken } from "./token-tenant.js";

/** A wait for room in a class's rate limit that is worth telling (the directory class waits milliseconds). */
const PACED_NOTICE_MS = 1_000;

export interface GraphClientOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Default https://graph.microsoft.com/v1.0; e.g. https://graph.microsoft.us/v1.0 or the simulator. */
  graphBaseUrl?: string;
  /** Default https://login.microsoftonline.com; e.g. https://login.microsoftonline.us or the simulator. */
  loginBaseUrl?: string;
  /** Extra CA certificate (PEM) to trust, e.g. the simulator's. Otherwise Node's built-in roots. */
  caPem?: string;
  /** The request budget shared by all tables of this connection. */
  budget: RequestBudget;
  /** Retry settings, or a ready policy. */
  retry?: RetryPolicyOptions | RetryPolicy;
  onEvent?: GraphEventListener;
  /** Injected for tests; defaults to the real clock. */
  clock?: Clock;
  /** Per-attempt timeout for headers and for gaps in the body. Default 60 s. */
  requestTimeoutMs?: number;
  /**
   * Send Graph and token requests through this dispatcher, on this thread, instead of an agent of
   * the client's own (Graph's on a worker thread). Its CA setup is then the caller's.
   */
  dispatcher?: Dispatcher;
  /** Use this token source instead of MSAL with the client secret. */
  tokenSource?: AccessTokenSource;
}

export interface GraphRequest {
  method: "GET" | "POST";
  /** An absolute nextLink/deltaLink, used byte for byte, or a path relative to the Graph base URL. */
  url: string;
  /** First requests only: `$select`, `$top`, `$filter`, `$orderby`, … (encoded the way Graph writes them). */
  query?: Readonly<Record<string, string>>;
  /** JSON body for POST. */
  body?: unknown;
  /** Extra headers for every attempt, e.g. `ConsistencyLevel: eventual` (not carried by nextLinks). */
  headers?: Readonly<Record<string, string>>;
  throttle: ThrottleClass;
  /** Cost of this request in Graph resource units (directory class; graph-api.md §6). */
  resourceUnits: number;
  /** The application permission the table needs, named in the error for a 403. */
  permission: string;
  /** The table making the request, for events, stats and errors. */
  table: string;
  /**
   * Stops the request when aborted, whether it waits for the budget or a retry or is under way
   * (its connection is closed): the request rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

export interface GraphResponse<T> {
  status: number;
  /** The parsed JSON body; null when a 2xx came with an empty body (e.g. 204). */
  body: T;
  requestId: string | undefined;
  /** HTTP attempts it took, the successful one included. */
  attempts: number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const MESSAGE_LIMIT = 300;

/**
 * Microsoft Graph over undici, with MSAL app-only tokens, a shared request budget, retries and
 * typed errors. One instance per connection (tenant + app); every table shares it.
 */
export class GraphClient {
  readonly clientId: string;
  readonly graphBaseUrl: string;
  /** Token requests go through it (MSAL), on this thread. */
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly transport: HttpTransport;
  private readonly tokens: AccessTokenSource;
  private readonly budget: RequestBudget;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly redactor = new SecretRedactor();
  private readonly onEvent: GraphEventListener | undefined;
  private closing: Promise<void> | undefined;
  private readonly perTable = new Map<string, GraphTableStats>();
  /** The tenant id of the token acquireToken got (undefined until then, or when the token is not a JWT). */
  signedInTenantId: string | undefined;

  constructor(options: GraphClientOptions) {
    this.clientId = options.clientId;
    this.graphBaseUrl = trimTrailingSlash(options.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL);
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? createHttpAgent({ caPem: options.caPem });
    this.transport = options.dispatcher ? dispatcherTransport(options.dispatcher, false) : new WorkerHttpTransport({ caPem: options.caPem });
    this.redactor.add(options.clientSecret);
    this.tokens = options.tokenSource ?? new TokenProvider({
      tenantId: options.tenantId,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      loginBaseUrl: options.loginBaseUrl ?? DEFAULT_LOGIN_BASE_URL,
      graphBaseUrl: this.graphBaseUrl,
      dispatcher: this.dispatcher,
      redactor: this.redactor,
    });
    this.budget = options.budget;
    this.clock = options.clock ?? systemClock;
    this.policy = options.retry instanceof RetryPolicy
      ? options.retry
      : new RetryPolicy({ now: () => this.clock.now(), ...options.retry });
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.onEvent = options.onEvent;
  }

  /** Requests and retries so far for one table. */
  stats(table: string): GraphTableStats {
    return { ...this.tableStats(table) };
  }

  /** Closes the connections this client opened (not an injected dispatcher); a second call waits for the first. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.transport.close();
      if (this.ownsDispatcher) await this.dispatcher.close();
    })();
    return this.closing;
  }

  /**
   * Gets a token now (`run` and `check` sign in before anything else). A token endpoint that is
   * unavailable is retried as a request's would be; rejects with an AuthenticationError.
   */
  async acquireToken(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.signedInTenantId = tenantOfToken(await this.tokens.getToken({}));
        return;
      } catch (error) {
        const decision = error instanceof AuthenticationError && error.retryable ? this.policy.decide({ kind: "token-unavailable" }, attempt) : undefined;
        if (!decision?.retry) throw error;
        await this.clock.sleep(decision.delayMs);
      }
    }
  }

  /**
   * Sends one Graph request, with retries (429/503 Retry-After, backoff for 5xx, resets and cut-off
   * bodies) and one token refresh after a 401. Resolves with the parsed JSON body; rejects with a
   * GraphRequestError (MissingPermissionError for 403, DeltaTokenExpiredError for a dead delta link,
   * PageLinkExpiredError for a dead page link) or an AuthenticationError.
   */
  async request<T>(req: GraphRequest): Promise<GraphResponse<T>> {
    const target = resolveRequestTarget(this.graphBaseUrl, req.url, req.query);
    const stats = this.tableStats(req.table);
    let tokenOptions: GetTokenOptions = {};
    let refreshedAfter401 = false;

    for (let attempt = 1; ; attempt++) {
      req.signal?.throwIfAborted();
      let token: string;
      try {
        token = await this.tokens.getToken(tokenOptions);
      } catch (error) {
        if (error instanceof AuthenticationError && error.retryable) {
          const decision = this.policy.decide({ kind: "token-unavailable" }, attempt);
          if (decision.retry) {
            this.emit({ type: "graph.retry", table: req.table, path: target.displayPath, status: null, error: "token-unavailable", attempt, waitMs: decision.delayMs, reason: decision.reason });
            stats.retries++;
            await this.clock.sleep(decision.delayMs, req.signal);
            continue;
          }
        }
        throw error;
      }
      tokenOptions = {};

      const pacedMs = this.budget.waitBefore(req.throttle, req.resourceUnits);
      if (pacedMs >= PACED_NOTICE_MS) this.emit({ type: "graph.paced", table: req.table, path: target.displayPath, throttleClass: req.throttle, waitMs: pacedMs, ...this.budget.limitOf(req.throttle) });
      const permit = await this.budget.acquire(req.throttle, req.resourceUnits, req.signal);
      let outcome: AttemptOutcome;
      try {
        stats.requests++;
        outcome = await this.send(target, req, token);
      } finally {
        permit.release();
      }
      if (outcome.kind === "network" && outcome.code === ATTEMPT_ABORTED) req.signal!.throwIfAborted();

      const failure = (extra: Partial<GraphFailure>): GraphFailure => ({
        status: undefined, graphCode: undefined, graphMessage: undefined, method: req.method,
        path: target.displayPath, requestId: undefined, table: req.table, attempts: attempt, retryable: false, ...extra,
      });

      let attemptFailure: AttemptFailure;
      let finalFailure: GraphFailure;
      let cause: unknown;
      if (outcome.kind === "network") {
        cause = outcome.error;
        attemptFailure = { kind: "network", code: outcome.code };
        finalFailure = failure({ graphCode: outcome.code, retryable: this.policy.isRetryable(attemptFailure) });
      } else {
        const { status, headers, chunks } = outcome;
        if (status >= 200 && status < 300) {
          const requestId = this.shown(header(headers, "request-id"));
          if (status === 204) return { status, body: null as T, requestId, attempts: attempt };
          try {
            return { status, body: parseJsonChunks(chunks) as T, requestId, attempts: attempt };
          } catch {
            // A 2xx with unparseable JSON, or none, is a body cut off in transit (taken as a page,
            // an empty one would end the round with nothing); the request is safe to repeat.
            attemptFailure = { kind: "invalid-body" };
            finalFailure = failure({ status, graphCode: "invalid-body", requestId, retryable: true });
          }
        } else {
          const body = parseGraphErrorBody(Buffer.concat(chunks).toString("utf8"));
          // What the error says is shown (the code is compared as Graph sent it).
          const info = failure({ status, graphCode: this.shown(body.code), graphMessage: this.shown(body.message), requestId: this.shown(header(headers, "request-id") ?? body.requestId) });

          if (status === 401) {
            if (!refreshedAfter401) {
              refreshedAfter401 = true;
              tokenOptions = { forceRefresh: true, rejectedToken: token };
              this.emit({ type: "graph.token.refreshed", table: req.table, path: target.displayPath, reason: "401" });
              continue;
            }
            throw new GraphRequestError(info, {
              category: "config",
              hint: `Graph rejected a freshly issued token for app ${this.clientId}; check that the login and Graph URLs belong to the same cloud and tenant.`,
            });
          }
          if (status === 403) throw new MissingPermissionError(info, req.permission, this.clientId);
          if (status === 410 || (status === 400 && body.code !== undefined && DELTA_TOKEN_ERROR_CODES.has(body.code))) {
            throw new DeltaTokenExpiredError(info, header(headers, "location"));
          }
          if (status === 400 && body.code === PAGE_LINK_EXPIRED_CODE) throw new PageLinkExpiredError(info);
          attemptFailure = { kind: "status", status, retryAfter: header(headers, "retry-after") };
          finalFailure = { ...info, retryable: this.policy.isRetryable(attemptFailure) };
          if (status === 429 || (status === 503 && attemptFailure.retryAfter !== undefined)) {
            this.throttled(req, target, attempt, status, headers, attemptFailure);
          }
        }
      }

      const decision = this.policy.decide(attemptFailure, attempt);
      if (!decision.retry) {
        const tls = attemptFailure.kind === "network" && isTlsTrustCode(attemptFailure.code);
        const unknownPath = finalFailure.status === 400 && finalFailure.graphMessage?.startsWith("Resource not found for the segment");
        throw new GraphRequestError(finalFailure, {
          ...(cause === undefined ? {} : { cause }),
          ...(tls ? { category: "config", hint: `The Graph host's TLS certificate is not trusted. ${TLS_TRUST_HINT}` } : {}),
          ...(unknownPath
            ? { hint: `Graph v1.0 has no such resource: check source.path and source.deltaPath in tables/${req.table}.json. (Kaivo's Graph simulator serves only the resources it models.)` }
            : {}),
        });
      }
      stats.retries++;
      this.emit({
        type: "graph.retry", table: req.table, path: target.displayPath,
        status: finalFailure.status ?? null,
        error: attemptFailure.kind === "network" ? attemptFailure.code : attemptFailure.kind === "invalid-body" ? "invalid-body" : null,
        attempt, waitMs: decision.delayMs, reason: decision.reason,
      });
      await this.clock.sleep(decision.delayMs, req.signal);
    }
  }

  /** Text that may hold the client secret or a token (see SecretRedactor) with them removed: for errors and state. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** A value from Graph's response as errors and events show it: no secret or token, and short. */
  private shown(value: string | undefined): string | undefined {
    return value === undefined ? undefined : this.redactor.redact(value).slice(0, MESSAGE_LIMIT);
  }

  /** Graph throttled us anyway: pause the whole class in the shared budget, so every table backs off. */
  private throttled(
    req: GraphRequest, target: RequestTarget, attempt: number, status: number,
    headers: IncomingHttpHeaders, failure: AttemptFailure & { kind: "status" },
  ): void {
    if (status === 429) this.tableStats(req.table).throttled++;
    const waitMs = Math.min(parseRetryAfter(failure.retryAfter, this.clock.now()) ?? this.policy.backoff(attempt), 300_000);
    this.budget.pause(req.throttle, waitMs);
    this.emit({
      type: "graph.throttled", table: req.table, path: target.displayPath, throttleClass: req.throttle,
      status, waitMs, attempt, information: this.shown(header(headers, "x-ms-throttle-information")) ?? null,
    });
  }

  /** One HTTP attempt. The body is read whole, as the chunks it arrived in; a failure anywhere is a network outcome. */
  private send(target: RequestTarget, req: GraphRequest, token: string): Promise<AttemptOutcome> {
    const headers: Record<string, string> = {
      ...req.headers,
      accept: "application/json",
      "x-ms-throttle-priority": "Low",
      "client-request-id": randomUUID(),
      authorization: `Bearer ${token}`,
    };
    let body: string | null = null;
    if (req.method === "POST") {
      body = JSON.stringify(req.body ?? {});
      headers["content-type"] = "application/json";
    }
    return this.transport.send({ origin: target.origin, path: target.path, method: req.method, headers, body, timeoutMs: this.timeoutMs }, req.signal);
  }

  private tableStats(table: string): GraphTableStats {
    let stats = this.perTable.get(table);
    if (!stats) {
      stats = { requests: 0, retries: 0, throttled: 0 };
      this.perTable.set(table, stats);
    }
    return stats;
  }

  private emit(event: GraphEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A failing listener must not fail a sync.
    }
  }
}
