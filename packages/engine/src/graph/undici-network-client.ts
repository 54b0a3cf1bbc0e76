import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import type { Dispatcher } from "undici";

/**
 * MSAL's network module on undici, so token requests use the same dispatcher (and CA) as Graph
 * requests (toolchain-notes.md §5). MSAL wants the parsed JSON body and lower-case header names.
 */
export class UndiciNetworkClient implements INetworkModule {
  /**
   * Code of the last transport failure (e.g. DEPTH_ZERO_SELF_SIGNED_CERT). MSAL reports such
   * failures only as endpoints_resolution_error or network_error, so the cause is kept here.
   */
  lastErrorCode: string | undefined;
  /**
   * The OAuth error the login host answered the last request with. MSAL drops it when it came from
   * the tenant's metadata (openid-configuration), reporting endpoints_resolution_error instead.
   */
  lastRefusal: LoginRefusal | undefined;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly timeoutMs = 30_000,
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("POST", url, options);
  }

  private async send<T>(
    method: "GET" | "POST",
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout = this.timeoutMs,
  ): Promise<NetworkResponse<T>> {
    const parsed = new URL(url);
    // The code describes the latest request only: a failure MSAL reports next is about that one.
    this.lastErrorCode = undefined;
    this.lastRefusal = undefined;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.dispatcher.request({
        origin: parsed.origin,
        path: `${parsed.pathname}${parsed.search}`,
        method,
        headers: options?.headers ?? {},
        body: method === "POST" ? (options?.body ?? "") : null,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      this.lastErrorCode = typeof code === "string" ? code : error instanceof Error ? error.name : "UNKNOWN";
      throw error;
    }
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // A proxy or load balancer page instead of JSON: give MSAL an OAuth-shaped error.
      body = { error: "invalid_response", error_description: `Non-JSON response (HTTP ${res.statusCode}).` };
    }
    if (res.statusCode >= 400) this.lastRefusal = loginRefusal(body);
    return { status: res.statusCode, headers, body: body as T };
  }
}

/** An OAuth error body's `error` and first AADSTS number (`error_codes`). */
export interface LoginRefusal {
  error: string | undefined;
  aadstsCode: string | undefined;
}

function loginRefusal(body: unknown): LoginRefusal | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const { error, error_codes: codes } = body as { error?: unknown; error_codes?: unknown };
  const first = Array.isArray(codes) ? codes[0] : undefined;
  return {
    error: typeof error === "string" ? error : undefined,
    aadstsCode: typeof first === "number" || typeof first === "string" ? String(first) : undefined,
  };
}
