import type { DirectoryObjectRef } from "./graph-object.js";

/** Collections that support delta (and are therefore change-logged). */
export type DeltaCollection = "users" | "groups" | "applications" | "servicePrincipals" | "directoryRoles";

export type RemovedReason = "changed" | "deleted";

export type ChangeEntry =
  | { seq: number; id: string; op: "created" }
  | { seq: number; id: string; op: "updated"; keys: readonly string[] }
  | { seq: number; id: string; op: "removed"; reason: RemovedReason }
  | { seq: number; id: string; op: "link"; relation: "members" | "owners"; ref: DirectoryObjectRef; added: boolean };

type ChangeInput =
  | { id: string; op: "created" }
  | { id: string; op: "updated"; keys: readonly string[] }
  | { id: string; op: "removed"; reason: RemovedReason }
  | { id: string; op: "link"; relation: "members" | "owners"; ref: DirectoryObjectRef; added: boolean };

/** What changed for one object between two sequence numbers, folded. */
export interface FoldedChange {
  id: string;
  created: boolean;
  removed: RemovedReason | undefined;
  keys: Set<string>;
  /** relation -> memberId -> last link state */
  links: Map<"members" | "owners", Map<string, { ref: DirectoryObjectRef; added: boolean }>>;
}

/**
 * Append-only log of tenant mutations. Delta tokens carry a sequence number; a later round folds
 * the entries after it. Sequence numbers are global, entries are kept per collection.
 */
export class ChangeLog {
  private seqCounter = 0;
  private readonly entries = new Map<DeltaCollection, ChangeEntry[]>();
  private readonly foldCache = new Map<string, FoldedChange[]>();

  get seq(): number {
    return this.seqCounter;
  }

  append(collection: DeltaCollection, change: ChangeInput): void {
    this.seqCounter += 1;
    let list = this.entries.get(collection);
    if (list === undefined) {
      list = [];
      this.entries.set(collection, list);
    }
    list.push({ ...change, seq: this.seqCounter } as ChangeEntry);
  }

  /**
   * Changes in (from, to], folded per object, in order of first change; with `replays`, one per
   * change, in order: an object changed twice comes twice, as Graph may send it (graph-api.md
   * section 5.2). Cached per range.
   */
  fold(collection: DeltaCollection, from: number, to: number, { replays = false } = {}): FoldedChange[] {
    const key = `${collection}:${from}:${to}:${replays}`;
    const cached = this.foldCache.get(key);
    if (cached !== undefined) return cached;
    const list = this.entries.get(collection) ?? [];
    const byId = new Map<string, FoldedChange>();
    const result: FoldedChange[] = [];
    for (let i = firstAfter(list, from); i < list.length; i++) {
      const entry = list[i];
      if (entry === undefined || entry.seq > to) break;
      let folded = replays ? undefined : byId.get(entry.id);
      if (folded === undefined) {
        folded = { id: entry.id, created: false, removed: undefined, keys: new Set(), links: new Map() };
        byId.set(entry.id, folded);
        result.push(folded);
      }
      switch (entry.op) {
        case "created":
          folded.created = true;
          folded.removed = undefined;
          break;
        case "updated":
          for (const k of entry.keys) folded.keys.add(k);
          break;
        case "removed":
          folded.removed = entry.reason;
          break;
        case "link": {
          let rel = folded.links.get(entry.relation);
          if (rel === undefined) {
            rel = new Map();
            folded.links.set(entry.relation, rel);
          }
          rel.delete(entry.ref.id); // re-insert so the last change sorts last
          rel.set(entry.ref.id, { ref: entry.ref, added: entry.added });
          break;
        }
      }
    }
    if (this.foldCache.size > 32) this.foldCache.clear();
    this.foldCache.set(key, result);
    return result;
  }
}

function firstAfter(list: readonly ChangeEntry[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]?.seq ?? Infinity) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
