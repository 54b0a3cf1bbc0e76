import type { ChangeLog, DeltaCollection, RemovedReason } from "./change-log.js";
import type { GraphObject } from "./graph-object.js";

/** How a collection's base (generated) objects are produced. */
export interface BaseSource {
  count: number;
  generate(index: number): GraphObject;
  idOf(index: number): string;
  indexOf(id: string): number | undefined;
}

/**
 * One collection: generated base objects (by index, never materialised in bulk) plus an overlay of
 * patches, created objects and removals. Slots [0, base) are base objects in index order, then
 * created objects in creation order; removed slots read as undefined, so paging by slot is stable.
 */
export class CollectionStore {
  private readonly patches = new Map<string, GraphObject>();
  private readonly created: GraphObject[] = [];
  private readonly createdSlot = new Map<string, number>();
  private readonly removed = new Map<string, RemovedReason>();

  constructor(
    readonly name: DeltaCollection,
    private readonly base: BaseSource,
    private readonly log: ChangeLog,
  ) {}

  get slotCount(): number {
    return this.base.count + this.created.length;
  }

  /** Live objects (an upper bound is slotCount). */
  get size(): number {
    return this.slotCount - this.removed.size;
  }

  at(slot: number): GraphObject | undefined {
    if (slot < this.base.count) {
      const obj = this.base.generate(slot);
      const id = obj["id"] as string;
      if (this.removed.size > 0 && this.removed.has(id)) return undefined;
      const patch = this.patches.size > 0 ? this.patches.get(id) : undefined;
      return patch === undefined ? obj : Object.assign(obj, structuredClone(patch));
    }
    const obj = this.created[slot - this.base.count];
    if (obj === undefined || this.removed.has(obj["id"] as string)) return undefined;
    return structuredClone(obj);
  }

  /** Whether a slot holds a live object, without generating it. */
  live(slot: number): boolean {
    if (slot < this.base.count) return this.removed.size === 0 || !this.removed.has(this.base.idOf(slot));
    const obj = this.created[slot - this.base.count];
    return obj !== undefined && !this.removed.has(obj["id"] as string);
  }

  /** The id in a live slot (without generating the object), or undefined. */
  idAt(slot: number): string | undefined {
    if (!this.live(slot)) return undefined;
    if (slot < this.base.count) return this.base.idOf(slot);
    return this.created[slot - this.base.count]?.["id"] as string | undefined;
  }

  /** Ids of live objects in slot order. */
  *ids(): Generator<string> {
    const count = this.slotCount;
    for (let slot = 0; slot < count; slot++) {
      const id = this.idAt(slot);
      if (id !== undefined) yield id;
    }
  }

  /** Ids of soft-deleted objects (restorable, so they keep their members and owners). */
  *softDeletedIds(): Generator<string> {
    for (const [id, reason] of this.removed) if (reason === "changed") yield id;
  }

  slotOf(id: string): number | undefined {
    const index = this.base.indexOf(id);
    if (index !== undefined) return index;
    const slot = this.createdSlot.get(id);
    return slot === undefined ? undefined : this.base.count + slot;
  }

  get(id: string): GraphObject | undefined {
    const slot = this.slotOf(id);
    return slot === undefined ? undefined : this.at(slot);
  }

  has(id: string): boolean {
    return this.slotOf(id) !== undefined && !this.removed.has(id);
  }

  removedReason(id: string): RemovedReason | undefined {
    return this.removed.get(id);
  }

  create(object: GraphObject): GraphObject {
    const id = object["id"];
    if (typeof id !== "string" || id.length === 0) throw new Error(`${this.name}: a created object needs a string id`);
    if (this.slotOf(id) !== undefined) throw new Error(`${this.name}: an object with id ${id} already exists`);
    this.createdSlot.set(id, this.created.length);
    this.created.push(structuredClone(object));
    this.log.append(this.name, { id, op: "created" });
    return structuredClone(object);
  }

  /** Applies a patch (null clears a property). Returns the keys whose value actually changed. */
  update(id: string, patch: GraphObject): string[] {
    const current = this.get(id);
    if (current === undefined) throw new Error(`${this.name}: no object with id ${id}`);
    const changed: string[] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (key === "id") throw new Error(`${this.name}: id cannot be changed`);
      if (key.includes("@")) throw new Error(`${this.name}: annotation ${key} cannot be set`);
      if (JSON.stringify(current[key] ?? null) !== JSON.stringify(value ?? null)) changed.push(key);
    }
    if (changed.length === 0) return changed;
    const slot = this.createdSlot.get(id);
    if (slot !== undefined) {
      const stored = this.created[slot];
      if (stored !== undefined) for (const key of changed) stored[key] = structuredClone(patch[key] ?? null);
    } else {
      const stored = this.patches.get(id) ?? {};
      for (const key of changed) stored[key] = structuredClone(patch[key] ?? null);
      this.patches.set(id, stored);
    }
    this.log.append(this.name, { id, op: "updated", keys: changed });
    return changed;
  }

  remove(id: string, reason: RemovedReason): GraphObject {
    const current = this.get(id);
    if (current === undefined) throw new Error(`${this.name}: no object with id ${id}`);
    this.removed.set(id, reason);
    this.log.append(this.name, { id, op: "removed", reason });
    return current;
  }

  /** Brings back an object removed as `changed` (soft-deleted), as it was: delta sends it whole again. */
  restore(id: string): GraphObject {
    this.requireSoftDeleted(id);
    this.removed.delete(id);
    this.log.append(this.name, { id, op: "created" });
    return this.get(id)!;
  }

  /** Deletes a soft-deleted object for good (delta reports it `deleted`). */
  purge(id: string): void {
    this.requireSoftDeleted(id);
    this.removed.set(id, "deleted");
    this.log.append(this.name, { id, op: "removed", reason: "deleted" });
  }

  private requireSoftDeleted(id: string): void {
    if (this.removed.get(id) !== "changed") throw new Error(`${this.name}: no soft-deleted object with id ${id}`);
  }

  *iterate(): Generator<GraphObject> {
    const count = this.slotCount;
    for (let slot = 0; slot < count; slot++) {
      const obj = this.at(slot);
      if (obj !== undefined) yield obj;
    }
  }
}
