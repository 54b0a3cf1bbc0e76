import type { ThrottleClass } from "../http/endpoint.js";

/** Graph's request budgets (§6), per app and tenant. All optional; `scale` multiplies every budget. */
export interface ThrottleBudgets {
  /** Identity and access resource units per 10 s. Default by tenant size: <50 users 3,500; 50–500 5,000; >500 8,000. */
  identityResourceUnitsPer10s?: number;
  /** Identity and access reports (directoryAudits): requests per 10 s. Default 5. */
  auditRequestsPer10s?: number;
  /** Users read with signInActivity selected: requests per minute. Default 10. */
  signInActivityRequestsPerMinute?: number;
  /** Identity providers: requests per minute per app. Default 200. */
  identityProviderRequestsPerMinute?: number;
  /** Multiplies every budget (e.g. 0.01 to provoke throttling, 100 to make it rare). Default 1. */
  scale?: number;
}

export type ThrottleOutcome = { ok: true; usedFraction: number } | { ok: false; retryAfterSeconds: number; scope: string; information: string };

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    private readonly refillPerMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  take(cost: number, now: number): { ok: true; usedFraction: number } | { ok: false; waitMs: number } {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.refillPerMs);
    this.last = now;
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return { ok: true, usedFraction: 1 - this.tokens / this.capacity };
    }
    return { ok: false, waitMs: (cost - this.tokens) / this.refillPerMs };
  }
}

/** Token buckets per throttle class, refilled continuously on the real clock. */
export class Throttler {
  private buckets = new Map<ThrottleClass, TokenBucket>();
  private enabled = true;

  constructor(
    private readonly tenantUsers: number,
    private readonly scope: string,
    config: boolean | ThrottleBudgets | undefined,
  ) {
    this.configure(config);
  }

  configure(config: boolean | ThrottleBudgets | undefined): void {
    this.enabled = config !== false;
    const budgets: ThrottleBudgets = typeof config === "object" ? config : {};
    const scale = budgets.scale ?? 1;
    const sizeDefault = this.tenantUsers < 50 ? 3500 : this.tenantUsers <= 500 ? 5000 : 8000;
    const now = performance.now();
    const bucket = (amount: number, windowMs: number) => new TokenBucket(Math.max(1, amount * scale), (amount * scale) / windowMs, now);
    this.buckets = new Map([
      ["identity", bucket(budgets.identityResourceUnitsPer10s ?? sizeDefault, 10_000)],
      ["audit", bucket(budgets.auditRequestsPer10s ?? 5, 10_000)],
      ["signInActivity", bucket(budgets.signInActivityRequestsPerMinute ?? 10, 60_000)],
      ["identityProvider", bucket(budgets.identityProviderRequestsPerMinute ?? 200, 60_000)],
    ]);
  }

  check(cls: ThrottleClass, cost: number): ThrottleOutcome {
    if (!this.enabled) return { ok: true, usedFraction: 0 };
    const bucket = this.buckets.get(cls);
    if (bucket === undefined) return { ok: true, usedFraction: 0 };
    const result = bucket.take(Math.min(cost, bucket.capacity), performance.now());
    if (result.ok) return result;
    const seconds = Math.max(0.001, Math.ceil(result.waitMs) / 1000);
    const scopeName = cls === "identity" ? "Tenant_Application/ReadOnly" : cls === "audit" || cls === "signInActivity" ? "Tenant_Application/Reports" : "Tenant_Application/IdentityProviders";
    return {
      ok: false,
      retryAfterSeconds: seconds,
      scope: `${scopeName}/${this.scope}`,
      information: cls === "identity" ? "ResourceUnitLimitExceeded" : "RequestLimitExceeded",
    };
  }
}
