import type { GraphResponse } from "./endpoint.js";

/** How long a rendered page may be replayed, in simulator time (delta links and audit windows move with it). */
const MAX_AGE_MS = 30 * 60_000;

/**
 * Successful Graph answers, replayed byte for byte when the same request comes again while the
 * tenant is unchanged: paging a tenant a second time (a benchmark's floor, then the engine, then a
 * rerun) then costs the simulator a lookup instead of generating, projecting and serialising every
 * object again, so the client, not the simulator, sets the pace.
 *
 * One entry per page (a few megabytes each, nothing per object), bounded in bytes; once full it stops
 * adding, because paging is a sequential scan where evicting the oldest would only thrash. Any change
 * through the control API clears it; an entry older than MAX_AGE_MS of simulator time (or from a
 * clock that went back) is rendered again, so tokens and time windows stay current.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { renderedAt: number; response: GraphResponse }>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  get(key: string, now: number): GraphResponse | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now < entry.renderedAt || now - entry.renderedAt > MAX_AGE_MS) {
      this.entries.delete(key);
      this.bytes -= entry.response.body.length;
      return undefined;
    }
    return entry.response;
  }

  /** Keeps a 200 answer while there is room. */
  put(key: string, now: number, response: GraphResponse): void {
    if (response.status !== 200 || this.entries.has(key)) return;
    const size = response.body.length;
    if (this.bytes + size > this.budgetBytes) return;
    this.entries.set(key, { renderedAt: now, response });
    this.bytes += size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get sizeBytes(): number {
    return this.bytes;
  }
}

/** What makes two requests the same answer: method, path and query, body, and the $count header. */
export function responseCacheKey(method: string, url: URL, body: string, consistencyLevel: string | undefined): string {
  return `${method} ${url.pathname}${url.search}\n${consistencyLevel ?? ""}\n${body}`;
}
