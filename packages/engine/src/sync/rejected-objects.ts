import type { RejectedObjectsState } from "../state/table-state.js";

/**
 * Objects tracked at most, so that the state row stays small (BigQuery takes it in a statement of
 * at most 1,024K characters). A declaration that rejects more needs fixing, which resyncs the table.
 */
export const MAX_TRACKED_OBJECTS = 1_000;

/**
 * The objects of a delta table whose latest record the declaration rejected: the warehouse lacks
 * them, or holds them as they were before. Graph sends such an object again only once it changes,
 * as a partial record, which Kaivo cannot tell from a new object's first one. That record must not
 * insert a row that is NULL but for the properties it carries: it patches a stored row only (op
 * "patch"), and the object falls due to be read again whole at the end of the round.
 */
export class RejectedObjects {
  /** Rejected, and unchanged since. */
  private readonly waiting: Set<string>;
  /** Rejected, then changed: read them again whole. */
  private readonly due: Set<string>;
  private overflowed = false;

  constructor(stored: RejectedObjectsState | null | undefined) {
    this.waiting = new Set(stored?.waiting ?? []);
    this.due = new Set(stored?.due ?? []);
  }

  /** Graph sent every object anew (an initial round): what was rejected before is read again anyway. */
  clear(): void {
    this.waiting.clear();
    this.due.clear();
  }

  /** The object's record was rejected. Returns true for the first object left untracked, the set being full. */
  rejected(id: string): boolean {
    this.due.delete(id);
    if (this.waiting.has(id) || this.size < MAX_TRACKED_OBJECTS) {
      this.waiting.add(id);
      return false;
    }
    const first = !this.overflowed;
    this.overflowed = true;
    return first;
  }

  /** The object was stored whole, or removed: nothing of it is missing. */
  settled(id: string): void {
    this.waiting.delete(id);
    this.due.delete(id);
  }

  /** A partial record of the object, which it returns whether to stage as a patch (see the class). */
  changed(id: string): boolean {
    if (!this.waiting.delete(id) && !this.due.has(id)) return false;
    this.due.add(id);
    return true;
  }

  /** The objects to read again whole, which leave the set: those read back settle or are rejected anew. */
  takeDue(): string[] {
    const due = [...this.due];
    this.due.clear();
    return due;
  }

  toState(): RejectedObjectsState | null {
    return this.size === 0 ? null : { waiting: [...this.waiting], due: [...this.due] };
  }

  private get size(): number {
    return this.waiting.size + this.due.size;
  }
}
