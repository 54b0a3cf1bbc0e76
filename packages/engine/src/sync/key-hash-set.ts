/** Slots of a new set; it doubles whenever it is half full. */
const INITIAL_SLOTS = 1024;

/**
 * A set of keys held as 52-bit hashes in an open-addressing table: 16 to 32 bytes a key, where a
 * Set of the key strings takes about 100 (a full refresh of a million rows is one write, so the set
 * would grow with the table). Two keys may share a hash, so `add` may call a new key a repeat; at a
 * million keys that happens about once in ten thousand writes, and then costs only a needless
 * deduplication. A repeated key is always reported.
 */
export class KeyHashSet {
  /** 0 marks an empty slot; stored hashes are never 0. */
  private slots = new Float64Array(INITIAL_SLOTS);
  private count = 0;

  /** Adds `key`; true when it (or a key with the same hash) was added before. */
  add(key: string): boolean {
    const hash = hashOf(key);
    if (this.insert(this.slots, hash, startOf(hash))) return true;
    this.count += 1;
    if (this.count * 2 > this.slots.length) this.grow();
    return false;
  }

  get size(): number {
    return this.count;
  }

  /** Linear probing from `start`; true when `hash` was there already. */
  private insert(slots: Float64Array, hash: number, start: number): boolean {
    const mask = slots.length - 1;
    for (let i = start & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]!;
      if (slot === hash) return true;
      if (slot === 0) {
        slots[i] = hash;
        return false;
      }
    }
  }

  private grow(): void {
    const slots = new Float64Array(this.slots.length * 2);
    for (const hash of this.slots) if (hash !== 0) this.insert(slots, hash, startOf(hash));
    this.slots = slots;
  }
}

/** Two 32-bit multiplicative hashes of the key's UTF-16 units, as one 52-bit number, never 0. */
function hashOf(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x100000 + (b >>> 12) + 1;
}

/** The slot a hash probes first: its low 32 bits, so a grown table can place it again from the hash alone. */
function startOf(hash: number): number {
  return hash % 0x100000000 | 0;
}
