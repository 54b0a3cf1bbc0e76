// Small seeded PRNG. Every generated object draws from its own stream keyed on (seed, kind, index),
// so object N never depends on objects 0..N-1 and a 1,000,000-user tenant can be generated on demand.

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** murmur3's 32-bit finaliser: a cheap, well-mixed hash step. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes (seed, kind, index) into one 32-bit state. */
export function streamKey(seed: number, kind: number, index: number): number {
  let h = fmix32((seed ^ 0x9e3779b9) >>> 0);
  h = fmix32((h ^ Math.imul(kind + 1, 0x27d4eb2f)) >>> 0);
  h = fmix32((h + Math.imul(index, 0x165667b1) + (Math.floor(index / 0x100000000) | 0)) >>> 0);
  return h;
}

/** A mulberry32 generator with helpers. Deterministic for a given state. */
export class Rng {
  private state: number;

  constructor(state: number) {
    this.state = state >>> 0;
  }

  static for(seed: number, kind: number, index: number): Rng {
    return new Rng(streamKey(seed, kind, index));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("Rng.pick on an empty list");
    return item;
  }

  /** One byte, 0..255 (the draw hex() makes per pair of digits). */
  byte(): number {
    return (this.next() * 256) | 0;
  }

  /** n lowercase hex digits (n even). */
  hex(n: number): string {
    let out = "";
    for (let i = 0; i < n; i += 2) out += HEX_BYTES[this.byte()];
    return n % 2 === 0 ? out : out.slice(0, n);
  }

  /** A version-4-looking GUID. */
  guid(): string {
    const h = this.hex(32);
    const variant = "89ab"[this.int(4)] ?? "8";
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Alphanumeric string of length n. */
  token(n: number): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

/** Stream kinds: one constant per generated object family, so streams never collide. */
export const Kind = {
  user: 1,
  group: 2,
  groupMembers: 3,
  groupOwners: 4,
  application: 5,
  servicePrincipal: 6,
  directoryRole: 7,
  audit: 8,
  deletedItem: 9,
  created: 10,
  tenant: 11,
  faults: 12,
  signIn: 13,
  roleMembers: 14,
} as const;
