import type { ConfidentialClientApplication, Configuration } from "@azure/msal-node";
import type { Dispatcher } from "undici";
import { toAuthenticationError, type AuthErrorContext } from "./auth-errors.js";
import { AuthenticationError } from "./errors.js";
import { loadMsal } from "./msal.js";
import { authorityUrl, graphScope, isMicrosoftLoginHost } from "./cloud.js";
import { SecretRedactor } from "./redact.js";
import { UndiciNetworkClient } from "./undici-network-client.js";

export interface GetTokenOptions {
  /** Bypass MSAL's cache (after Graph rejected a token with 401). */
  forceRefresh?: boolean;
  /**
   * The token Graph rejected. When another caller already replaced it, the refresh is skipped
   * and the newer token returned, so ten tables hitting 401 together cause one token request.
   */
  rejectedToken?: string;
}

/** MSAL renews a cached token this long before it expires (graph-api.md §2.4). */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/** Anything that hands out Graph access tokens. */
export interface AccessTokenSource {
  getToken(options?: GetTokenOptions): Promise<string>;
}

export interface TokenProviderOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** e.g. https://login.microsoftonline.com, or the simulator's https://127.0.0.1:8443 */
  loginBaseUrl: string;
  /** Graph base URL; its origin makes the scope (`<origin>/.default`). */
  graphBaseUrl: string;
  /** Dispatcher carrying the CA option; shared with the Graph requests. */
  dispatcher: Dispatcher;
  /** Receives every secret value that must be kept out of messages (the secret, each token). */
  redactor?: SecretRedactor;
}

/**
 * App-only tokens for one connection, through MSAL's ConfidentialClientApplication with the
 * client secret. MSAL caches the token in memory and renews it 5 minutes before expiry
 * (graph-api.md §2.4).
 */
export class TokenProvider implements AccessTokenSource {
  readonly scope: string;
  /** Created by the first token request (MSAL loads then), and again after a retryable failure. */
  private app: Promise<ConfidentialClientApplication> | undefined;
  private readonly createApp: () => Promise<ConfidentialClientApplication>;
  private readonly network: UndiciNetworkClient;
  private readonly redactor: SecretRedactor;
  private readonly context: AuthErrorContext;
  private inflight: Promise<string> | undefined;
  private inflightForced: Promise<string> | undefined;
  private latest: string | undefined;
  /**
   * When MSAL would renew the latest token (epoch ms; 0 while it is being replaced). Until then it is
   * handed out without asking MSAL, whose cache lookup runs on every call (about 0.5 ms of the main
   * thread per Graph request).
   */
  private latestRenewAt = 0;

  constructor(options: TokenProviderOptions) {
    this.scope = graphScope(options.graphBaseUrl);
    this.redactor = options.redactor ?? new SecretRedactor();
    this.redactor.add(options.clientSecret);
    const loginHost = new URL(options.loginBaseUrl).host;
    this.context = { clientId: options.clientId, tenantId: options.tenantId, loginHost, scope: this.scope };

    const auth: Configuration["auth"] = {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      authority: authorityUrl(options.loginBaseUrl, options.tenantId),
    };
    // A host MSAL does not know (simulator, private endpoint) would first be looked up at
    // login.microsoftonline.com; declaring it known skips that, and MSAL reads
    // `<authority>/v2.0/.well-known/openid-configuration` from the host itself.
    if (!isMicrosoftLoginHost(new URL(options.loginBaseUrl).hostname)) auth.knownAuthorities = [loginHost];

    this.network = new UndiciNetworkClient(options.dispatcher);
    this.createApp = async () => {
      const { ConfidentialClientApplication, LogLevel } = await loadMsal();
      return new ConfidentialClientApplication({
        auth,
        system: {
          networkClient: this.network,
          // MSAL must not log; its messages could carry request details. Errors reach us as exceptions.
          loggerOptions: { loggerCallback: () => undefined, piiLoggingEnabled: false, logLevel: LogLevel.Error },
        },
      });
    };
  }

  /** A valid access token; concurrent callers share one token request. */
  getToken(options: GetTokenOptions = {}): Promise<string> {
    const forced = options.forceRefresh === true &&
      (options.rejectedToken === undefined || options.rejectedToken === this.latest);
    if (forced) {
      this.inflightForced ??= this.acquire(true).finally(() => (this.inflightForced = undefined));
      return this.inflightForced;
    }
    if (this.inflightForced) return this.inflightForced;
    if (this.latest !== undefined && Date.now() < this.latestRenewAt) return Promise.resolve(this.latest);
    this.inflight ??= this.acquire(false).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async acquire(skipCache: boolean): Promise<string> {
    let token: string | undefined;
    let renewAt = 0;
    this.network.lastErrorCode = undefined;
    this.latestRenewAt = 0;
    try {
      this.app ??= this.createApp();
      const result = await (await this.app).acquireTokenByClientCredential({ scopes: [this.scope], skipCache });
      token = result?.accessToken || undefined;
      renewAt = result?.refreshOn?.getTime() ?? (result?.expiresOn ? result.expiresOn.getTime() - RENEW_BEFORE_EXPIRY_MS : 0);
    } catch (error) {
      const mapped = toAuthenticationError(error, { ...this.context, networkErrorCode: this.network.lastErrorCode, loginRefusal: this.network.lastRefusal }, this.redactor, await loadMsal());
      // After a 429/5xx MSAL refuses identical token requests locally for the Retry-After time,
      // 60 s when absent (graph-api.md §2.4). The Graph client's retry policy paces token retries
      // itself, so start from a fresh MSAL instance (its cache holds no usable token here anyway).
      if (mapped.retryable) this.app = undefined;
      throw mapped;
    }
    if (token === undefined) {
      throw new AuthenticationError(
        { ...this.context, oauthError: "empty_token", aadstsCode: undefined, status: undefined, retryable: true },
        `The token endpoint at ${this.context.loginHost} returned no access token for app ${this.context.clientId}.`,
      );
    }
    this.redactor.add(token);
    this.latest = token;
    this.latestRenewAt = renewAt;
    return token;
  }
}
