import type { DirectoryObjectRef } from "./graph-object.js";

/**
 * A directoryObject-collection relationship (group members, group owners, role members): generated
 * base edges plus an overlay of additions and removals.
 */
export class RelationStore {
  private readonly added = new Map<string, Map<string, DirectoryObjectRef>>();
  private readonly removed = new Map<string, Set<string>>();

  constructor(private readonly base: (parentId: string) => DirectoryObjectRef[]) {}

  list(parentId: string): DirectoryObjectRef[] {
    const removed = this.removed.get(parentId);
    const base = this.base(parentId);
    const out = removed === undefined ? base : base.filter((r) => !removed.has(r.id));
    const added = this.added.get(parentId);
    if (added !== undefined) for (const ref of added.values()) out.push(ref);
    return out;
  }

  has(parentId: string, memberId: string): boolean {
    return this.list(parentId).some((r) => r.id === memberId);
  }

  /** Returns false when the edge already existed. */
  add(parentId: string, ref: DirectoryObjectRef): boolean {
    if (this.has(parentId, ref.id)) return false;
    const removed = this.removed.get(parentId);
    if (removed?.has(ref.id) === true && this.base(parentId).some((r) => r.id === ref.id)) {
      removed.delete(ref.id);
      return true;
    }
    let added = this.added.get(parentId);
    if (added === undefined) {
      added = new Map();
      this.added.set(parentId, added);
    }
    added.set(ref.id, ref);
    return true;
  }

  /** Returns the removed edge, or undefined when there was none. */
  remove(parentId: string, memberId: string): DirectoryObjectRef | undefined {
    const existing = this.list(parentId).find((r) => r.id === memberId);
    if (existing === undefined) return undefined;
    const added = this.added.get(parentId);
    if (added?.has(memberId) === true) {
      added.delete(memberId);
      return existing;
    }
    let removed = this.removed.get(parentId);
    if (removed === undefined) {
      removed = new Set();
      this.removed.set(parentId, removed);
    }
    removed.add(memberId);
    return existing;
  }
}
