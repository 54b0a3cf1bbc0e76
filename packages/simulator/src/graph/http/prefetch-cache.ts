import type { GraphResponse } from "./endpoint.js";

/**
 * Next-page prefetch: after a page with a nextLink is served, the next page is rendered in the
 * background (setImmediate) while the client is busy with the current one, so paging a large
 * tenant is not limited by generation time. Entries are tied to the change-log sequence number
 * and dropped when the tenant has changed since.
 */
/** A rendered page plus what to do when it is served (schedule the page after it). */
export interface PrefetchedPage {
  response: GraphResponse;
  served?: () => void;
}

export class PrefetchCache {
  private readonly entries = new Map<string, { seq: number; page: PrefetchedPage }>();

  constructor(private readonly capacity = 8) {}

  take(token: string, seq: number): GraphResponse | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    this.entries.delete(token);
    if (entry.seq !== seq) return undefined;
    entry.page.served?.();
    return entry.page.response;
  }

  /** Renders a page in the background; the page must not schedule further prefetches itself. */
  schedule(token: string, seq: () => number, render: () => PrefetchedPage): void {
    if (this.entries.has(token)) return;
    setImmediate(() => {
      const at = seq();
      let page: PrefetchedPage;
      try {
        page = render();
      } catch {
        return; // the real request will render (and report) it
      }
      if (seq() !== at) return;
      this.entries.set(token, { seq: at, page });
      while (this.entries.size > this.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest === undefined) break;
        this.entries.delete(oldest);
      }
    });
  }
}
