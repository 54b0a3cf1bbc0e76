import type { DeltaCollection } from "../model/change-log.js";
import type { Selection } from "./odata-query.js";

/**
 * Serialised objects, kept so that paging the same tenant again (a benchmark's floor, then the
 * engine, then a rerun) costs the simulator a copy instead of generating, projecting and
 * stringifying every object again: without it the simulator, not the client, sets the pace.
 *
 * Entries are UTF-8 buffers (outside the JS heap, so a large tenant does not hit the heap limit),
 * grouped in shelves per (source, selection). A change to an object forgets it on every shelf of its
 * collection. The cache is bounded in bytes; once full it stops adding (paging is a sequential scan,
 * where evicting the oldest would only thrash).
 */
export class RenderCache {
  private readonly shelves = new Map<string, Map<string, Buffer>>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  /** The serialised form of one object, from the cache or rendered now (and kept while there is room). */
  item(shelf: string, key: string, render: () => string): Buffer {
    let entries = this.shelves.get(shelf);
    const cached = entries?.get(key);
    if (cached !== undefined) return cached;
    const rendered = Buffer.from(render(), "utf8");
    if (this.bytes + rendered.length <= this.budgetBytes) {
      if (entries === undefined) this.shelves.set(shelf, (entries = new Map()));
      entries.set(key, rendered);
      this.bytes += rendered.length;
    }
    return rendered;
  }

  /** Drops an object that changed from every shelf of its source. */
  forget(source: DeltaCollection, key: string): void {
    for (const [shelf, entries] of this.shelves) {
      if (!shelf.startsWith(`${source}|`)) continue;
      const cached = entries.get(key);
      if (cached === undefined) continue;
      entries.delete(key);
      this.bytes -= cached.length;
    }
  }

  get sizeBytes(): number {
    return this.bytes;
  }
}

/** The shelf of a source read with a selection (undefined: the source's default properties). */
export function shelfKey(source: string, selection: Selection | undefined): string {
  return selection === undefined ? `${source}|*` : `${source}|${selection.properties.join(",")}`;
}
