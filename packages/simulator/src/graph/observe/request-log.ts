/** One served request, as recorded for tests. */
export interface RequestLogEntry {
  time: string;
  method: string;
  /** Path and query as requested. */
  url: string;
  /** Graph endpoint key ("users", "users/delta", …), "token", "openid-configuration", "control" or "unknown". */
  endpoint: string;
  status: number;
  /** The injected fault, when one fired. */
  fault?: string;
  requestId: string;
  durationMs: number;
}

/** endpoint -> HTTP status (as a string) -> count. Faults that cut the body count under their status. */
export type RequestCounters = Record<string, Record<string, number>>;

/** Bounded request log plus counters per endpoint and status. */
export class RequestRecorder {
  private entries: RequestLogEntry[] = [];
  private counts = new Map<string, Map<string, number>>();

  constructor(private readonly limit = 20_000) {}

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    let byStatus = this.counts.get(entry.endpoint);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.counts.set(entry.endpoint, byStatus);
    }
    const key = String(entry.status);
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  }

  log(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  counters(): RequestCounters {
    const out: RequestCounters = {};
    for (const [endpoint, byStatus] of this.counts) out[endpoint] = Object.fromEntries(byStatus);
    return out;
  }

  reset(): void {
    this.entries = [];
    this.counts = new Map();
  }
}
