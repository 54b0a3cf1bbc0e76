import type { ThrottleClass } from "@kaivo/codegen";
import { systemClock, type Clock } from "./clock.js";

/**
 * Graph's throttling services that matter to Kaivo (graph-api.md §6). Each has its own quota
 * per app per tenant, so each gets its own pacer.
 * - directory: identity and access (users, groups, applications, …), counted in resource units
 * - reports: auditLogs (directoryAudits, …), counted in requests
 * - signInActivity: users read with signInActivity selected, counted in requests (a limit of the
 *   reports service of its own)
 * - identityProviders: identity/identityProviders, counted in requests
 */
export type { ThrottleClass };

export const THROTTLE_CLASSES: readonly ThrottleClass[] = ["directory", "reports", "signInActivity", "identityProviders"];

/** At most `limit` units in any sliding window of `windowMs`. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * Defaults stay inside the published limits instead of waiting to be throttled:
 * - directory: 2,000 RU / 10 s (the smallest tenant's quota is 3,500 RU / 10 s)
 * - reports: 5 requests / 10.5 s (the quota is 5 / 10 s; the extra half second absorbs network jitter,
 *   since Graph counts arrivals and we count departures)
 * - signInActivity: 10 requests / 63 s (the quota is "GET signInActivity: 10 requests per minute" per
 *   app per tenant, learn.microsoft.com/graph/throttling-limits; the same slack as reports)
 * - identityProviders: 150 requests / 60 s (the quota is 200 / min per app)
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ThrottleClass, RateLimit>> = {
  directory: { limit: 2_000, windowMs: 10_000 },
  reports: { limit: 5, windowMs: 10_500 },
  signInActivity: { limit: 10, windowMs: 63_000 },
  identityProviders: { limit: 150, windowMs: 60_000 },
};

export interface RequestBudgetOptions {
  /** Per-class overrides of DEFAULT_RATE_LIMITS. */
  limits?: Partial<Record<ThrottleClass, RateLimit>>;
  /** Requests in flight at once across all tables. Default 8. */
  maxConcurrency?: number;
  clock?: Clock;
}

/** Held while a request is in flight; release it when the response body has been read. */
export interface BudgetPermit {
  release(): void;
}

interface Waiter {
  throttleClass: ThrottleClass;
  units: number;
  resolve: (permit: BudgetPermit) => void;
}

interface Spend {
  at: number;
  units: number;
}

/**
 * One request budget shared by every table of a connection (tables run concurrently). A request
 * waits until its class has room in its sliding window, the class is not paused after a 429,
 * and a concurrency slot is free. Waiters of one class are served in order; a class that must
 * wait does not hold up the others.
 */
export class RequestBudget {
  readonly maxConcurrency: number;
  private readonly limits: Record<ThrottleClass, RateLimit>;
  private readonly clock: Clock;
  private readonly spent = new Map<ThrottleClass, Spend[]>();
  private readonly pausedUntil = new Map<ThrottleClass, number>();
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  private wake: { at: number; abort: AbortController } | undefined;

  constructor(options: RequestBudgetOptions = {}) {
    this.limits = { ...DEFAULT_RATE_LIMITS, ...options.limits };
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? 8);
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Waits for room to send one request. For "directory", `resourceUnits` is the request's cost
   * (graph-api.md §6); the other classes count requests, so their cost is always 1. When `signal`
   * aborts first, the request leaves the queue and the promise rejects with the signal's reason.
   */
  acquire(throttleClass: ThrottleClass, resourceUnits = 1, signal?: AbortSignal): Promise<BudgetPermit> {
    const limit = this.limits[throttleClass].limit;
    const units = throttleClass === "directory" ? Math.min(Math.max(1, resourceUnits), limit) : 1;
    return new Promise<BudgetPermit>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const abandon = () => {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        reject(signal!.reason);
        this.pump();
      };
      const waiter: Waiter = {
        throttleClass,
        units,
        resolve: (permit) => {
          signal?.removeEventListener("abort", abandon);
          resolve(permit);
        },
      };
      signal?.addEventListener("abort", abandon, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /**
   * Holds back a whole class, e.g. for Retry-After after Graph answered 429 anyway, so every
   * table backs off, not only the one that was throttled.
   */
  pause(throttleClass: ThrottleClass, ms: number): void {
    const until = this.clock.now() + Math.max(0, ms);
    if (until > (this.pausedUntil.get(throttleClass) ?? 0)) this.pausedUntil.set(throttleClass, until);
    this.pump();
  }

  /** The rate a class is kept to. */
  limitOf(throttleClass: ThrottleClass): RateLimit {
    return this.limits[throttleClass];
  }

  /**
   * How long a request of this class would wait now for room in its window (or for the class's
   * pause to end): at least what it will wait, since requests queued ahead of it are not counted.
   */
  waitBefore(throttleClass: ThrottleClass, resourceUnits = 1): number {
    const limit = this.limits[throttleClass].limit;
    const units = throttleClass === "directory" ? Math.min(Math.max(1, resourceUnits), limit) : 1;
    const now = this.clock.now();
    return this.readyAt(throttleClass, units, now) - now;
  }

  /** Units spent in the current window, per class; requests in flight; requests waiting. */
  snapshot(): { inFlight: number; waiting: number; used: Record<ThrottleClass, number> } {
    const now = this.clock.now();
    const used = Object.fromEntries(THROTTLE_CLASSES.map((c) => [c, this.prune(c, now).reduce((sum, s) => sum + s.units, 0)])) as Record<ThrottleClass, number>;
    return { inFlight: this.inFlight, waiting: this.queue.length, used };
  }

  private prune(throttleClass: ThrottleClass, now: number): Spend[] {
    const windowMs = this.limits[throttleClass].windowMs;
    const log = this.spent.get(throttleClass) ?? [];
    while (log.length > 0 && log[0]!.at + windowMs <= now) log.shift();
    this.spent.set(throttleClass, log);
    return log;
  }

  /** The earliest time (≥ now) a request of `units` may start in this class. */
  private readyAt(throttleClass: ThrottleClass, units: number, now: number): number {
    const paused = this.pausedUntil.get(throttleClass) ?? 0;
    if (paused > now) return paused;
    const { limit, windowMs } = this.limits[throttleClass];
    const log = this.prune(throttleClass, now);
    let used = log.reduce((sum, s) => sum + s.units, 0);
    if (used + units <= limit) return now;
    for (const spend of log) {
      used -= spend.units;
      if (used + units <= limit) return spend.at + windowMs;
    }
    return now; // unreachable: units ≤ limit, so an empty window always has room
  }

  private pump(): void {
    const now = this.clock.now();
    const blocked = new Set<ThrottleClass>();
    let nextWake = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.queue.length && this.inFlight < this.maxConcurrency; ) {
      const waiter = this.queue[i]!;
      if (blocked.has(waiter.throttleClass)) {
        i++;
        continue;
      }
      const at = this.readyAt(waiter.throttleClass, waiter.units, now);
      if (at > now) {
        blocked.add(waiter.throttleClass);
        nextWake = Math.min(nextWake, at);
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.spent.get(waiter.throttleClass)!.push({ at: now, units: waiter.units });
      this.inFlight++;
      waiter.resolve(this.permit());
    }
    this.scheduleWake(nextWake, now);
  }

  private permit(): BudgetPermit {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.pump();
      },
    };
  }

  /** Keeps at most one pending timer, for the earliest moment a blocked class gets room. */
  private scheduleWake(at: number, now: number): void {
    if (this.wake && this.wake.at === at) return;
    this.wake?.abort.abort();
    this.wake = undefined;
    if (!Number.isFinite(at)) return;
    const wake = { at, abort: new AbortController() };
    this.wake = wake;
    void this.clock.sleep(at - now, wake.abort.signal).then(() => {
      if (this.wake !== wake) return; // replaced or cancelled
      this.wake = undefined;
      this.pump();
    });
  }
}
